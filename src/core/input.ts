/**
 * Validation of caller input (bodies, options) before anything is sent. A mismatch is a
 * ValidationError naming the argument and the problem, never echoing the value.
 */
import type { z } from 'zod';
import { ValidationError } from './errors.js';
import { issuesOf } from './config.js';

/** Parses `value` with `schema`; throws ValidationError (prefix = the argument's name) on failure. */
export function checkInput<T>(schema: z.ZodType<T>, value: unknown, name: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = issuesOf(result.error, name);
  throw new ValidationError(`Invalid ${name}: ${issues.join('; ')}`, issues);
}
