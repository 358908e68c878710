/**
 * Validation of caller input (bodies, options) before anything is sent. A mismatch is a
 * ValidationError naming the argument and the problem, never echoing the value.
 */
import type { z } from 'zod';
import { ValidationError } from './errors.js';
import { issuesOf } from './config.js';

// Control characters (C0, DEL, C1): never part of a name, a path segment or a filter.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** True when `text` holds a control character (C0, DEL or C1): the one check names, paths and filters share. */
export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}

/** Parses `value` with `schema`; throws ValidationError (prefix = the argument's name) on failure. */
export function checkInput<T>(schema: z.ZodType<T>, value: unknown, name: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = issuesOf(result.error, name);
  throw new ValidationError(`Invalid ${name}: ${issues.join('; ')}`, issues);
}
