/**
 * Hostile servers that try to exhaust memory with reply bodies. A buffered reply over
 * `maxResponseBytes` (announced by Content-Length, or found while reading) fails with an
 * InvalidResponseError, is never retried, and its download stops: the server sees its socket
 * closed long before it could send what it meant to. Streamed replies are not buffered and not
 * limited by it. Error bodies are read up to 64 kB and the rest is not downloaded.
 */
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { Copernica, isAPIError, isInvalidResponseError, isValidationError } from '../../src/index.js';
import { DEFAULT_MAX_RESPONSE_BYTES, resolveClientOptions } from '../../src/core/config.js';
import { scriptedServer, type ScriptedServer, type Step } from '../helpers/server.js';

const TOKEN = 'tok_hostile_limits_5c1e0f0d2b7a4e6f';
const MiB = 1024 * 1024;
let cases = 0;

afterAll(() => {
  console.log(`hostile limits: ${cases} cases`);
});

/** Sends `total` bytes of a JSON string in 64 kB chunks, honouring backpressure; counts what it wrote (for the latest request). */
function flood(
  status: number,
  total: number,
  opts: { length?: boolean } = {},
): { step: Step; written: () => number; closed: Promise<void> } {
  let written = 0;
  let onClosed!: () => void;
  const closed = new Promise<void>((r) => (onClosed = r));
  const step: Step = (_req, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/json', ...(opts.length ? { 'content-length': String(total) } : {}) });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let open = true;
    res.on('close', () => {
      open = false;
      onClosed();
    });
    res.write('"');
    written = 1; // of the latest request
    const pump = () => {
      while (open && written < total) {
        const ok = res.write(chunk);
        written += chunk.length;
        if (!ok) return void res.once('drain', pump);
      }
      if (open) res.end('"');
    };
    pump();
  };
  return { step, written: () => written, closed };
}

async function withServer(step: Step, fn: (s: ScriptedServer) => Promise<void>): Promise<void> {
  const s = await scriptedServer([step]);
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

async function failure(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('maxResponseBytes', () => {
  it('defaults to 64 MiB, per client and per call', () => {
    cases++;
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(64 * MiB);
    expect(resolveClientOptions({ accessToken: TOKEN }).config.maxResponseBytes).toBe(64 * MiB);
    expect(resolveClientOptions({ accessToken: TOKEN, maxResponseBytes: 2048 }).config.maxResponseBytes).toBe(2048);
  });

  it('a reply announced larger than the limit fails at once, is not retried, and is not downloaded', async () => {
    const f = flood(200, 1024 * MiB, { length: true });
    await withServer(f.step, async (s) => {
      cases++;
      const client = new Copernica({ accessToken: TOKEN, baseUrl: s.url, maxRetries: 2, maxResponseBytes: MiB });
      const error = await failure(() => client.identity.get());
      expect(isInvalidResponseError(error)).toBe(true);
      expect(String((error as Error).message)).toMatch(/maxResponseBytes \(1048576\)/);
      expect(s.received).toHaveLength(1);
      await f.closed;
      expect(f.written()).toBeLessThan(64 * MiB);
    });
  });

  it('an unsized (chunked) reply that grows past the limit stops downloading while reading, not retried', async () => {
    const f = flood(200, 1024 * MiB);
    await withServer(f.step, async (s) => {
      cases++;
      const client = new Copernica({ accessToken: TOKEN, baseUrl: s.url, maxRetries: 2, maxResponseBytes: 2 * MiB });
      const error = await failure(() => client.databases.list().then((p) => p));
      expect(isInvalidResponseError(error)).toBe(true);
      expect(s.received).toHaveLength(1);
      await f.closed;
      expect(f.written()).toBeLessThan(64 * MiB);
    });
  });

  it('applies to text replies and to a POST; a per-call limit overrides the client one', async () => {
    const f = flood(200, 256 * 1024, { length: false });
    await withServer(f.step, async (s) => {
      const client = new Copernica({ accessToken: TOKEN, baseUrl: s.url, maxRetries: 2 });
      cases++;
      const ok = await client.request<string>({ method: 'GET', path: '/identity', responseType: 'text' });
      expect(ok.data.length).toBeGreaterThan(256 * 1024);
      cases++;
      const text = await failure(() =>
        client.request({ method: 'GET', path: '/identity', responseType: 'text' }, { maxResponseBytes: 64 * 1024 }),
      );
      expect(isInvalidResponseError(text)).toBe(true);
      cases++;
      const before = s.received.length;
      const post = await failure(() =>
        client.request({ method: 'POST', path: '/database/1/profiles', body: {} }, { maxResponseBytes: 64 * 1024 }),
      );
      expect(isInvalidResponseError(post)).toBe(true);
      expect(s.received.length).toBe(before + 1);
      cases++;
      const small = client.withOptions({ maxResponseBytes: 4096 });
      expect(isInvalidResponseError(await failure(() => small.request({ method: 'GET', path: '/identity' })))).toBe(true);
    });
  });

  it('does not limit streamed replies (logfile downloads are not buffered)', async () => {
    const f = flood(200, 3 * MiB);
    await withServer(f.step, async (s) => {
      cases++;
      const client = new Copernica({ accessToken: TOKEN, baseUrl: s.url, maxRetries: 0, maxResponseBytes: MiB });
      const res = await client.request<Readable>({ method: 'GET', path: '/logfiles/x.log', responseType: 'stream' });
      let total = 0;
      for await (const chunk of res.data) total += (chunk as Buffer).length;
      expect(total).toBe(f.written() + 1);
      expect(total).toBeGreaterThan(3 * MiB);
    });
  });

  it('an error reply of a gigabyte is read up to 64 kB; the rest is not downloaded', async () => {
    const f = flood(400, 1024 * MiB);
    await withServer(f.step, async (s) => {
      cases++;
      const client = new Copernica({ accessToken: TOKEN, baseUrl: s.url, maxRetries: 0 });
      const error = await failure(() => client.identity.get());
      expect(isAPIError(error)).toBe(true);
      expect(String((error as { body: unknown }).body).length).toBeLessThanOrEqual(64 * 1024);
      await f.closed;
      expect(f.written()).toBeLessThan(64 * MiB);
    });
  });

  it('refuses limits that are not an integer from 1024 to 500 MiB, naming the option', () => {
    for (const bad of [0, -1, 1023, 1.5, NaN, Infinity, 501 * MiB, '1024', null]) {
      cases++;
      let caught: unknown;
      try {
        new Copernica({ accessToken: TOKEN, maxResponseBytes: bad as never });
      } catch (error) {
        caught = error;
      }
      expect(isValidationError(caught)).toBe(true);
      expect(String((caught as Error).message)).toMatch(/maxResponseBytes/);
    }
  });
});
