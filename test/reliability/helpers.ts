/**
 * Shared pieces of the reliability suite: a hard timeout around every call (so a hang fails the
 * test instead of the run), a logger that keeps every line, a collector that scans every error and
 * log line for secrets, and the browser side of the OAuth flow against the fake (to get a real code).
 */
import { expect } from 'vitest';
import type { Logger } from '../../src/index.js';
import type { FakeCopernica } from '../../src/testing/index.js';
import { serialisations } from '../helpers/secrets.js';

/** Rejects with a `HUNG` error when `promise` has not settled after `ms`. The SDK's own deadline is always far below. */
export async function hard<T>(promise: Promise<T>, ms: number, what = 'call'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`HUNG: ${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, hung]);
  } finally {
    clearTimeout(timer);
  }
}

/** The outcome of a call: its value, or the error it threw, and how long it took. */
export type Outcome<T> = { ok: true; value: T; ms: number } | { ok: false; error: unknown; ms: number };

export async function outcome<T>(fn: () => Promise<T>, hardMs: number, what?: string): Promise<Outcome<T>> {
  const started = performance.now();
  try {
    const value = await hard(fn(), hardMs, what);
    return { ok: true, value, ms: performance.now() - started };
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('HUNG:')) throw error;
    return { ok: false, error, ms: performance.now() - started };
  }
}

/**
 * Collects every error and log line a test file sees; `scan()` checks none of the secrets appears
 * in any serialisation (message, stack, causes, `util.inspect(err, {depth: 10})`, `JSON.stringify`).
 */
export class SecretScanner {
  readonly errors: unknown[] = [];
  readonly values: unknown[] = [];
  readonly secrets = new Set<string>();
  /** Log lines seen (each checked as it arrives, not kept, so a long run does not grow the heap). */
  lines = 0;
  /** Log lines that contained a secret (reported by `scan()`). */
  readonly leakedLines: string[] = [];

  #line(level: string, message: string, meta: Record<string, unknown> | undefined): void {
    this.lines++;
    const text = `${level} ${message} ${JSON.stringify(meta ?? {})}`;
    for (const s of this.secrets) if (text.includes(s) || text.includes(encodeURIComponent(s))) this.leakedLines.push(text);
  }

  /** A logger that checks every line, with its metadata, for the secrets. */
  readonly logger: Logger = {
    debug: (m, meta) => this.#line('debug', m, meta),
    info: (m, meta) => this.#line('info', m, meta),
    warn: (m, meta) => this.#line('warn', m, meta),
    error: (m, meta) => this.#line('error', m, meta),
  };

  addSecret(...values: string[]): void {
    for (const v of values) {
      expect(v.length, 'a secret to scan for must be long enough to be meaningful').toBeGreaterThanOrEqual(8);
      this.secrets.add(v);
    }
  }

  /** Keeps the error of a failed outcome (and any successful value) for the final scan. */
  record(o: Outcome<unknown> | { error: unknown }): void {
    if ('ok' in o && o.ok) this.values.push(o.value);
    else this.errors.push(o.error);
  }

  /** Scans everything recorded; returns the number of errors and of texts checked, and the log lines seen. */
  scan(): { errors: number; texts: number; lines: number } {
    const secrets = [...this.secrets];
    expect(secrets.length).toBeGreaterThan(0);
    let texts = 0;
    const check = (text: string, where: string) => {
      texts++;
      for (const s of secrets) {
        if (text.includes(s) || text.includes(encodeURIComponent(s))) {
          throw new Error(`a secret leaked into ${where}: ${text.slice(0, 300)}`);
        }
      }
    };
    for (const e of this.errors) for (const t of serialisations(e)) check(t, 'a serialised error');
    for (const v of this.values) {
      let json: string | undefined;
      try {
        json = JSON.stringify(v);
      } catch {
        json = undefined;
      }
      if (json !== undefined) check(json, 'a returned value');
    }
    expect(this.leakedLines, 'log lines with a secret').toEqual([]);
    return { errors: this.errors.length, texts, lines: this.lines };
  }
}

/** The fields a browser would submit from the first form of a page, plus the clicked button. */
function formFields(html: string, button?: { name: string; value: string }): URLSearchParams {
  const form = /<form[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
  const out = new URLSearchParams();
  for (const m of form.matchAll(/<input ([^>]*)>/g)) {
    const attrs = m[1]!;
    const name = /name="([^"]*)"/.exec(attrs)?.[1];
    const value = /value="([^"]*)"/.exec(attrs)?.[1] ?? '';
    const type = /type="([^"]*)"/.exec(attrs)?.[1];
    if (!name) continue;
    if (type === 'radio' && !/ checked/.test(attrs)) continue;
    out.append(
      name,
      value
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>'),
    );
  }
  if (button) out.set(button.name, button.value);
  return out;
}

/** Runs the browser side of the consent flow on the fake and returns a fresh, real authorization code. */
export async function oauthCode(fake: FakeCopernica, state: string): Promise<string> {
  const q = new URLSearchParams({ client_id: fake.app.clientId, redirect_uri: fake.app.redirectUri, state, response_type: 'code' });
  const page = await fetch(`${fake.url}/en/authorize?${q}`);
  const login = formFields(await page.text());
  login.set('username', fake.users[0]!.username);
  login.set('password', fake.users[0]!.password);
  const consent = await fetch(`${fake.url}/en/authorize`, { method: 'POST', body: login, redirect: 'manual' });
  const form = formFields(await consent.text(), { name: 'decision', value: 'approve' });
  const done = await fetch(`${fake.url}/en/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  const code = new URL(done.headers.get('location') ?? 'http://x/').searchParams.get('code');
  if (!code) throw new Error(`the fake's consent flow gave no code (status ${done.status})`);
  return code;
}
