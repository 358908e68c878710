/** Test helpers: plain `fetch` against a running fake (never the SDK client). */
import type { FakeCopernica } from '../../src/testing/index.js';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  form?: Record<string, string>;
  /** Extra raw query string, appended as is. */
  query?: string;
}

/** Call `path` (below /v1, may carry its own query) with the first account's token unless told otherwise. */
export async function call(fake: FakeCopernica, method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
  const token = opts.token === undefined ? fake.accounts[0]!.token : opts.token;
  const parts = [
    path.includes('?') ? path.slice(path.indexOf('?') + 1) : '',
    opts.query ?? '',
    token !== null ? `access_token=${encodeURIComponent(token)}` : '',
  ].filter(Boolean);
  const base = path.includes('?') ? path.slice(0, path.indexOf('?')) : path;
  const init: RequestInit = { method, redirect: 'manual' };
  if (opts.form) {
    init.body = new URLSearchParams(opts.form).toString();
    init.headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
  } else if (opts.body !== undefined) {
    init.body = JSON.stringify(opts.body);
    init.headers = { 'Content-Type': 'application/json' };
  }
  const res = await fetch(`${fake.apiUrl}${base}?${parts.join('&')}`, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export const get = (fake: FakeCopernica, path: string, opts?: CallOptions) => call(fake, 'GET', path, opts);

/** The error message of a 400 reply. */
export function errorOf(r: Reply): string | undefined {
  return r.json?.error?.message;
}
