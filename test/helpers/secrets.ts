/**
 * Secret scanning for tests: every error a test sees can be recorded here, and the checks assert
 * that no secret string shows up in its message, stack, `util.inspect` or `JSON.stringify` output.
 */
import { inspect } from 'node:util';
import { expect } from 'vitest';

export function serialisations(value: unknown): string[] {
  const out: string[] = [];
  if (value instanceof Error) {
    out.push(value.message, String(value.stack), String(value));
    let cause: unknown = (value as { cause?: unknown }).cause;
    while (cause instanceof Error) {
      out.push(cause.message, String(cause.stack));
      cause = (cause as { cause?: unknown }).cause;
    }
  }
  out.push(inspect(value, { depth: 10, showHidden: false }), JSON.stringify(value) ?? '');
  return out;
}

/** Asserts that none of the secrets appears in any serialisation of `value`. Returns how many texts were checked. */
export function expectNoSecrets(value: unknown, secrets: readonly string[]): number {
  const texts = serialisations(value);
  for (const text of texts) {
    for (const secret of secrets) {
      expect(text, 'a serialised error contains a secret').not.toContain(secret);
      expect(text).not.toContain(encodeURIComponent(secret));
    }
  }
  return texts.length;
}

/** Runs `fn`, expects it to reject, scans the error, returns it. */
export async function rejection(fn: () => Promise<unknown>, secrets: readonly string[]): Promise<Error> {
  let caught: unknown;
  try {
    await fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected the call to fail').toBeInstanceOf(Error);
  expectNoSecrets(caught, secrets);
  return caught as Error;
}
