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

const jsonUnescape = (t: string) =>
  t.replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))).replace(/\\([/\\"])/g, '$1');
const percentDecode = (t: string) =>
  t.replace(/(?:%[0-9a-fA-F]{2})+/g, (m) => {
    try {
      return decodeURIComponent(m);
    } catch {
      return m;
    }
  });

/**
 * A text in every decoding a server could have used to echo a secret: as is, JSON-unescaped
 * (`\/`, `\uXXXX` in either case), percent-decoded (either case, twice for `%25XX`), `+` as space,
 * and those combined.
 */
export function decodings(text: string): string[] {
  const json = jsonUnescape(text);
  const once = percentDecode(text);
  const twice = percentDecode(once);
  const all = jsonUnescape(percentDecode(percentDecode(jsonUnescape(text))));
  return [...new Set([text, json, once, twice, all, all.replace(/\+/g, ' '), percentDecode(text.replace(/\+/g, ' '))])];
}

/** Asserts that none of the secrets appears in any serialisation of `value`, in any decoding. Returns how many texts were checked. */
export function expectNoSecrets(value: unknown, secrets: readonly string[]): number {
  const texts = serialisations(value);
  for (const text of texts) {
    for (const decoded of decodings(text)) {
      for (const secret of secrets) {
        expect(decoded, 'a serialised error contains a secret').not.toContain(secret);
      }
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
