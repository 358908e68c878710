import { expect } from 'vitest';
import { isValidationError } from '../../src/index.js';

/**
 * How a method's result fails: the rejection of a promise (a PageRequest too), or of a stream's
 * first read (events, logfile records, changes, sync runs). `undefined` when it does not fail.
 */
export async function failureOf(returned: unknown): Promise<unknown> {
  const r = returned as { then?: unknown; [Symbol.asyncIterator]?: unknown } | null;
  try {
    if (r !== null && typeof r === 'object' && typeof r.then === 'function') {
      await (r as PromiseLike<unknown>);
    } else if (r !== null && typeof r === 'object' && typeof r[Symbol.asyncIterator] === 'function') {
      const it = (r as AsyncIterable<unknown>)[Symbol.asyncIterator]();
      try {
        await it.next();
      } finally {
        await it.return?.();
      }
    }
  } catch (error) {
    return error;
  }
  return undefined;
}

/**
 * Runs each call and expects it to fail with a ValidationError as a rejection (one failure
 * contract: a method never throws synchronously; its promise rejects, or its stream's first read
 * does). A synchronous throw fails the test, and so does a call that does not fail.
 */
export async function expectEachRefused(calls: readonly (() => unknown)[]): Promise<void> {
  for (const [i, call] of calls.entries()) {
    let returned: unknown;
    try {
      returned = call();
    } catch (error) {
      expect.fail(`call ${i} (${String(call)}) threw synchronously (${String(error)}); its failure must be a rejection`);
    }
    const caught = await failureOf(returned);
    expect(isValidationError(caught), `call ${i} (${String(call)}) failed with ${String(caught)}, not a ValidationError`).toBe(true);
  }
}
