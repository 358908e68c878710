import { expect } from 'vitest';
import { isValidationError } from '../../src/index.js';

/** Runs each call and expects it to fail with a ValidationError (thrown or rejected). */
export async function expectEachRefused(calls: readonly (() => unknown)[]): Promise<void> {
  for (const call of calls) {
    let caught: unknown;
    try {
      await call();
    } catch (error) {
      caught = error;
    }
    expect(isValidationError(caught)).toBe(true);
  }
}
