/**
 * Reading reply bodies: success bodies as JSON or text (capped by `maxResponseBytes`), error bodies
 * (the first 64 kB, secrets redacted before and after decoding), and streamed bodies handed to the
 * caller.
 */
import type { Dispatcher } from 'undici';
import { PassThrough, type Readable } from 'node:stream';
import { AbortError, ConnectionError, InvalidResponseError } from './errors.js';
import { redact, redactValue, safeCause } from './redact.js';

/** How much of an error body is read; the rest is not downloaded. */
const MAX_ERROR_BODY = 64 * 1024;

/** Bodies up to this size are read with undici's `body.text()`; larger ones by iteration (below). */
const SMALL_BODY = 16 * 1024;

/** InvalidResponseErrors for replies over `maxResponseBytes`: never retried. */
const TOO_LARGE = new WeakSet<Error>();

/** Whether the error is a reply over `maxResponseBytes` (it would be as large the next time: not retried). */
export function isTooLarge(error: Error): boolean {
  return TOO_LARGE.has(error);
}

/**
 * A success body as text. Small bodies (most calls) go through undici's `body.text()`, the fewest
 * steps. Larger ones (pages of records, ~48 kB per 100 profiles) are read by async iteration: a
 * paused stream hands over what has arrived in fewer, larger buffers, and over a 1,000,000-profile
 * iteration this kept ~20 MB less in the old generation and ~40 MB less peak RSS than `body.text()`
 * (measured; BENCHMARKS.md).
 */
export function bodyText(res: Dispatcher.ResponseData<unknown>, maxBytes: number, shown: string): Promise<string> {
  const header = res.headers['content-length'];
  const length = typeof header === 'string' && /^\d{1,16}$/.test(header) ? Number(header) : -1;
  if (length > maxBytes) {
    res.body.destroy();
    return Promise.reject(tooLarge(res.statusCode, shown, maxBytes, `announces ${length} bytes`));
  }
  return length >= 0 && length <= SMALL_BODY && length <= maxBytes ? res.body.text() : readText(res.body, maxBytes, res.statusCode, shown);
}

function tooLarge(status: number, shown: string, maxBytes: number, what: string): InvalidResponseError {
  const error = new InvalidResponseError(
    `${shown.split(' ')[0]} request got a ${status} reply that ${what}, more than maxResponseBytes (${maxBytes}); the download was stopped`,
    { status, request: shown },
  );
  TOO_LARGE.add(error);
  return error;
}

/** The whole body as UTF-8 (a leading BOM dropped, as `body.text()` does), at most `maxBytes` of it. */
async function readText(body: Dispatcher.ResponseData['body'], maxBytes: number, status: number, shown: string): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > maxBytes) {
      body.destroy();
      throw tooLarge(status, shown, maxBytes, `went past ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  if (length === 0) return '';
  const buffer = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
  const start = length > 2 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
  return buffer.toString('utf8', start);
}

/** A success body as JSON (`undefined` when empty); not JSON is an InvalidResponseError (retried when safe). */
export function parseJson(text: string, shown: string, status: number): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    if (text.trim() === '') return undefined;
    throw new InvalidResponseError(
      `${shown.split(' ')[0]} request got a ${status} reply whose body is not valid JSON (${text.length} bytes)`,
      {
        status,
        request: shown,
        cause: cause instanceof Error ? new Error(cause.message) : undefined,
      },
    );
  }
}

/** The first `limit` bytes of an error body; the rest is not downloaded (the body is destroyed). */
async function readLimited(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    chunks.push(chunk.subarray(0, limit - size));
    size += Math.min(chunk.length, limit - size);
    if (size >= limit) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * An error body (its first 64 kB): parsed JSON when it is JSON, else the text. Redacted twice: the
 * raw text (every spelling of a secret), then the decoded values and keys.
 */
export async function readErrorBody(body: Dispatcher.ResponseData['body'], secrets: readonly string[]): Promise<unknown> {
  const text = redact(await readLimited(body, MAX_ERROR_BODY), secrets);
  try {
    return text.trim() ? redactValue(JSON.parse(text), secrets) : text;
  } catch {
    return text;
  }
}

/**
 * The body of a streamed reply, handed to the caller through a PassThrough: a caller who stops
 * early with a plain `destroy()` cancels the download quietly (undici's own body would emit an
 * error nobody listens to), while a real failure mid-body still reaches the caller as a redacted
 * ConnectionError.
 */
export function ownedStream(
  body: Dispatcher.ResponseData['body'],
  shown: string,
  secrets: readonly string[],
  signal: AbortSignal | undefined,
): Readable {
  const out = new PassThrough({ highWaterMark: 64 * 1024 });
  body.on('error', (error: Error) => {
    if (out.destroyed) return; // the caller stopped reading: a quiet cancel
    if (signal?.aborted) {
      out.destroy(new AbortError(`${shown.split(' ')[0]} download aborted by the caller`, { cause: safeCause(signal.reason, secrets) }));
    } else {
      out.destroy(
        new ConnectionError(`${shown.split(' ')[0]} download failed mid-body: ${redact(error.message, secrets)}`, {
          request: shown,
          cause: safeCause(error, secrets),
        }),
      );
    }
  });
  out.on('close', () => {
    if (!body.destroyed) body.destroy();
  });
  body.pipe(out);
  return out;
}
