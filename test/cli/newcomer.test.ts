/**
 * Issue 13 "try it without an account" and issue 11's CLI part, end to end: `copernica fake` is
 * started as docs/cli.md says, and every command of docs/cli.md is run against it as a newcomer
 * would, including `login` with the documented command, `events` and `logfiles`. Then the
 * refusals: filters on unknown fields, conflicting output options, unsafe or BOM'd config files,
 * a token the SDK refuses, a missing logfile.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Copernica } from '../../src/client.js';
import { type APIError, NotFoundError } from '../../src/core/errors.js';
import { closeNames } from '../../src/cli/commands/shared.js';
import { CLI_APP, CLI_LOGIN_PORT, STANDALONE_OPTIONS } from '../../src/testing/standalone.js';
import { createCliHarness, type CliHarness, type LiveCli, unescapeHtml } from './harness.js';

interface FakeInfo {
  url: string;
  apiUrl: string;
  accounts: { id: number; name: string; token: string }[];
  app: { clientId: string; clientSecret: string; redirectUri: string };
  cliApp: { clientId: string; clientSecret: string; redirectUri: string };
  users: { username: string; password: string; accounts: number[] }[];
}

let cli: CliHarness;
let live: LiveCli;
let info: FakeInfo;
let env: Record<string, string | undefined>;
const minted: string[] = [];

const lines = (text: string) => text.split('\n').filter((l) => l !== '');
const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  cli = await createCliHarness({});
  // As docs/cli.md shows: `copernica fake --profiles 500`, then export the printed URL and token.
  live = cli.start(['fake', '--profiles', '500', '--json']);
  const [line] = await live.waitFor(/^\{.*\}\n/m, 20_000);
  info = JSON.parse(line) as FakeInfo;
  env = {
    COPERNICA_BASE_URL: info.apiUrl,
    COPERNICA_ACCESS_TOKEN: info.accounts[0]!.token,
    COPERNICA_CONFIG: join(cli.tempDir(), 'config.json'),
  };
}, 30_000);

afterAll(async () => {
  try {
    // No output shows a token, except the fake's own banner and `login --print`'s stdout.
    for (const r of cli.outputs()) {
      if (r.args[0] === 'fake') continue;
      for (const s of [...info.accounts.map((a) => a.token), ...minted, CLI_APP.clientSecret]) {
        if (!(r.args.includes('--print') && minted.includes(s))) expect(r.stdout, `stdout of ${r.args.join(' ')}`).not.toContain(s);
        expect(r.stderr, `stderr of ${r.args.join(' ')}`).not.toContain(s);
      }
    }
  } finally {
    live?.child.kill('SIGTERM');
    await live?.exited;
    await cli?.dispose();
  }
});

const run = (args: string[], extra: Record<string, string | undefined> = {}) => cli.run(args, { env: { ...env, ...extra } });

describe('docs/cli.md walked against `copernica fake`', () => {
  it('identity, databases, profiles list and export show data', async () => {
    const [id, dbs, list, exp] = await Promise.all([
      run(['identity']),
      run(['databases', 'list']),
      run(['profiles', 'list', '--database', 'customers', '--where', 'country==netherlands', '--limit', '5', '--json']),
      run(['profiles', 'export', '--database', '1', '--format', 'csv']),
    ]);
    for (const r of [id, dbs, list, exp]) expect(r.code, `${r.args.join(' ')}: ${r.stderr}`).toBe(0);
    expect(id.stdout).toContain('acme-newsletters');
    expect(dbs.stdout).toContain('customers');
    const profiles = JSON.parse(list.stdout) as { fields: { country: string } }[];
    expect(profiles.length).toBe(5);
    for (const p of profiles) expect(p.fields.country).toBe('netherlands');
    expect(lines(exp.stdout)).toHaveLength(501);
  });

  it('logfiles list / names / download / records show the seeded mailings, none dated after today', async () => {
    const dates = await run(['logfiles', 'list', '--json']);
    expect(dates.code, dates.stderr).toBe(0);
    const list = JSON.parse(dates.stdout) as string[];
    expect(list).toContain(day(-1));
    for (const d of list) expect(d <= day(0)).toBe(true);
    const names = await run(['logfiles', 'names', day(-1)]);
    expect(names.code, names.stderr).toBe(0);
    const click = lines(names.stdout).find((n) => n.startsWith('cdm-click.'));
    expect(click).toBe(`cdm-click.${day(-1)}.log`);
    const [csv, records] = await Promise.all([
      run(['logfiles', 'download', click!, '--format', 'csv-header']),
      run(['logfiles', 'records', click!, '--limit', '3']),
    ]);
    expect(csv.code, csv.stderr).toBe(0);
    expect(lines(csv.stdout)[0]).toMatch(/^id,senderdomain,time,linkinfo,/);
    expect(lines(csv.stdout).length).toBeGreaterThan(1);
    expect(records.code, records.stderr).toBe(0);
    const rows = lines(records.stdout).map((l) => JSON.parse(l) as { time: string; linkinfo: number });
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(typeof r.linkinfo).toBe('number');
      expect(r.time.startsWith(day(-1))).toBe(true);
    }
  });

  it('events profile 1, message and tags show events', async () => {
    const byProfile = await run(['events', 'profile', '1']);
    expect(byProfile.code, byProfile.stderr).toBe(0);
    const evs = lines(byProfile.stdout).map(
      (l) => JSON.parse(l) as { event: string; time: string; message: string; tags: string; email: string },
    );
    expect(evs.length).toBeGreaterThanOrEqual(3);
    expect(new Set(evs.map((e) => e.message)).size).toBe(3);
    for (const e of evs) expect(Date.parse(`${e.time.replace(' ', 'T')}Z`)).toBeLessThanOrEqual(Date.now());
    const [message, tags] = await Promise.all([
      run(['events', 'message', evs.at(-1)!.message, '--limit', '5', '--format', 'table']),
      run(['events', 'tags', 'newsletter', '--json']),
    ]);
    expect(message.code, message.stderr).toBe(0);
    expect(lines(message.stdout)).toHaveLength(6);
    expect(tags.code, tags.stderr).toBe(0);
    expect((JSON.parse(tags.stdout) as unknown[]).length).toBeGreaterThan(0);
    // the IDs docs/cli.md names for the default fake
    const kinds = await Promise.all([
      run(['events', 'template', '1003', '--limit', '1']),
      run(['events', 'old-template', '1001', '--limit', '1']),
      run(['events', 'old-document', '2201', '--limit', '1']),
      run(['events', 'email', evs[0]!.email, '--limit', '1']),
    ]);
    for (const k of kinds) {
      expect(k.code, `${k.args.join(' ')}: ${k.stderr}`).toBe(0);
      expect(lines(k.stdout), k.args.join(' ')).toHaveLength(1);
    }
  });

  it('request shows the reply', async () => {
    const r = await run(['request', 'GET', '/identity']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: 'acme-newsletters' });
  });

  it('login with the command the banner prints (default redirect URI, no --redirect-uri), then commands use the stored token', async () => {
    const free = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(CLI_LOGIN_PORT, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    expect(free, `port ${CLI_LOGIN_PORT} (the CLI's default callback) must be free for this test`).toBe(true);
    expect(info.cliApp).toEqual({
      clientId: CLI_APP.clientId,
      clientSecret: CLI_APP.clientSecret,
      redirectUri: `http://127.0.0.1:${CLI_LOGIN_PORT}/callback`,
    });
    const config = join(cli.tempDir(), 'login', 'config.json');
    const loginEnv = {
      COPERNICA_CONFIG: config,
      COPERNICA_ACCESS_TOKEN: undefined,
      COPERNICA_BASE_URL: undefined,
      COPERNICA_CLIENT_SECRET: info.cliApp.clientSecret,
    };
    const login = cli.start(['login', '--client-id', info.cliApp.clientId, '--base-url', info.apiUrl], { env: loginEnv });
    const [, authorizeUrl] = await login.waitFor(/^(http:\/\/\S+\/en\/authorize\?\S+)$/m);
    const callback = await browse(authorizeUrl!);
    expect(callback.startsWith(`http://127.0.0.1:${CLI_LOGIN_PORT}/callback?`)).toBe(true);
    expect((await fetch(callback)).status).toBe(200);
    const done = await login.exited;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toContain('Logged in to account 1 (acme-newsletters)');
    const stored = JSON.parse(readFileSync(config, 'utf8')) as { accessToken: string; baseUrl: string };
    minted.push(stored.accessToken);
    expect(stored.baseUrl).toBe(info.apiUrl);
    const me = await cli.run(['identity', '--json'], { env: { COPERNICA_CONFIG: config } });
    expect(me.code, me.stderr).toBe(0);
    expect(JSON.parse(me.stdout)).toMatchObject({ ID: 1 });
  });

  it('the text banner prints that login command, the tokens, and the data seeded', async () => {
    const text = cli.start(['fake', '--seed', '9', '--profiles', '3', '--no-mailings', '--latency', '5']);
    await text.waitFor(/copernica login --client-id .*\n/);
    const out = text.result.stdout;
    expect(out).toMatch(/API:\s+http:\/\/127\.0\.0\.1:\d+\/v1/);
    expect(out).toContain(
      `COPERNICA_CLIENT_SECRET=${CLI_APP.clientSecret} copernica login --client-id ${CLI_APP.clientId} --base-url http://127.0.0.1:`,
    );
    expect(out).toContain('3 profiles in each main database, 0 recent mailings per account');
    text.child.kill('SIGINT');
    expect((await text.exited).code).toBe(0);
  });
});

/** Plays the browser: login form, consent form; returns the redirect to the CLI's callback. */
async function browse(authorizeUrl: string): Promise<string> {
  const hidden = (html: string) => {
    const form = new URLSearchParams();
    for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.append(m[1]!, unescapeHtml(m[2]!));
    return form;
  };
  const target = new URL(authorizeUrl).origin + new URL(authorizeUrl).pathname;
  const login = hidden(await (await fetch(authorizeUrl)).text());
  login.set('username', info.users[0]!.username);
  login.set('password', info.users[0]!.password);
  const consent = hidden(await (await fetch(target, { method: 'POST', body: login })).text());
  consent.set('account', String(info.users[0]!.accounts[0]));
  consent.set('decision', 'approve');
  const redirect = await fetch(target, { method: 'POST', body: consent, redirect: 'manual' });
  expect(redirect.status).toBe(302);
  return redirect.headers.get('location')!;
}

describe('one set of options for `copernica fake` and `copernica-fake`', () => {
  it('copernica fake --help lists every shared option, --latency and --no-mailings included', async () => {
    const r = await cli.run(['fake', '--help']);
    expect(r.code).toBe(0);
    for (const o of STANDALONE_OPTIONS) expect(r.stdout).toContain(`--${o.name}`);
    expect(r.stdout).toContain('--latency <ms>');
    expect(r.stdout).toContain('--no-mailings');
  });

  it('bad values are usage errors (exit 2)', async () => {
    const cases = [
      ['--latency', 'soon'],
      ['--mailings', '31'],
      ['--port', '70000'],
      ['--put-status', '201'],
    ];
    const results = await Promise.all(cases.map((c) => cli.run(['fake', ...c])));
    for (const [i, r] of results.entries()) {
      expect(r.code, cases[i]!.join(' ')).toBe(2);
      expect(lines(r.stderr), cases[i]!.join(' ')).toHaveLength(1);
    }
    expect(results[0]!.stderr).toBe('copernica: UsageError: --latency must be an integer from 0 to 60000, got "soon"\n');
  });
});

describe('--where names a field the database does not have', () => {
  it("'contry==nl' is refused before any search, naming the field and the close names; exit 2", async () => {
    const r = await run(['profiles', 'list', '--database', '1', '--where', 'contry==nl']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^copernica: UsageError: --where "contry==nl": database 1 has no field "contry"; did you mean "country"\?/);
    expect(r.stderr).toContain('--no-check-fields');
  });

  it('the same for export (database and view), and for a second condition', async () => {
    const [db, view, second] = await Promise.all([
      run(['profiles', 'export', '--database', 'customers', '--where', 'emial=~%@example.com']),
      run(['profiles', 'export', '--view', 'dutch', '--database', '1', '--where', 'agee>60']),
      run(['profiles', 'list', '--database', '1', '--where', 'country==nl', '--where', 'Cuntry!=de']),
    ]);
    for (const r of [db, view, second]) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
    }
    expect(db.stderr).toContain('no field "emial"; did you mean "email"?');
    expect(view.stderr).toContain('no field "agee"; did you mean "age"?');
    expect(second.stderr).toContain('no field "Cuntry"');
  });

  it('known fields (any case) and id/code/modified pass; --no-check-fields sends the condition as given', async () => {
    const [ok, special, skipped] = await Promise.all([
      run(['profiles', 'list', '--database', '1', '--where', 'COUNTRY==netherlands', '--limit', '2', '--json']),
      run(['profiles', 'list', '--database', '1', '--where', 'id>3', '--where', 'modified>2000-01-01', '--limit', '2', '--json']),
      run(['profiles', 'list', '--database', '1', '--where', 'contry==nl', '--no-check-fields', '--limit', '3', '--json']),
    ]);
    for (const r of [ok, special, skipped]) expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toHaveLength(2);
    // Copernica ignores the unknown field: every profile matches (what the check protects against)
    expect(JSON.parse(skipped.stdout)).toHaveLength(3);
  });

  it('closeNames suggests by edit distance and containment, closest first', () => {
    expect(closeNames('contry', ['country', 'city', 'email'])).toEqual(['country']);
    expect(closeNames('mail', ['email', 'firstname'])).toEqual(['email']);
    expect(closeNames('zzz', ['email', 'firstname'])).toEqual([]);
  });
});

describe('output options that contradict each other', () => {
  it('--json with --format csv (or table, ndjson) is a usage error; --json --format json is fine', async () => {
    const results = await Promise.all([
      run(['databases', 'list', '--json', '--format', 'csv']),
      run(['identity', '--format', 'table', '--json']),
      run(['events', 'profile', '1', '--json', '--format', 'ndjson']),
      run(['logfiles', 'list', '--json', '--format', 'table']),
    ]);
    for (const r of results) {
      expect(r.code, r.args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /^copernica: UsageError: --json and --format (csv|table|ndjson) ask for different outputs; give one of them\n$/,
      );
    }
    const same = await run(['identity', '--json', '--format', 'json']);
    expect(same.code, same.stderr).toBe(0);
    expect(JSON.parse(same.stdout)).toMatchObject({ ID: 1 });
  });
});

describe('a missing logfile is a NotFoundError', () => {
  it('in the SDK: download, header and records', async () => {
    const client = new Copernica({ accessToken: info.accounts[0]!.token, baseUrl: info.apiUrl, maxRetries: 0 });
    const name = 'cdm-click.1999-01-01.log';
    const errors = await Promise.all([
      client.logfiles.download(name).catch((e: unknown) => e),
      client.logfiles.header(name).catch((e: unknown) => e),
      client.logfiles
        .records(name)
        .toArray({ limit: 1 })
        .catch((e: unknown) => e),
      client.logfiles
        .records(name, { format: 'xml' })
        .toArray({ limit: 1 })
        .catch((e: unknown) => e),
    ]);
    for (const e of errors) {
      expect(e).toBeInstanceOf(NotFoundError);
      expect((e as NotFoundError).code).toBe('not_found');
      expect((e as APIError).status).toBe(400);
      expect((e as Error).message).toMatch(/^400: No logfile with name/);
    }
  });

  it('in the CLI: exit 1, one line NotFoundError', async () => {
    const r = await run(['logfiles', 'download', 'cdm-click.1999-01-01.log']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^copernica: NotFoundError: 400: No logfile with name "cdm-click\.1999-01-01\.log"\n$/);
  });
});

describe('the config file', () => {
  const tokenFile = (mode: number, text?: string) => {
    const file = join(cli.tempDir(), 'config.json');
    writeFileSync(file, text ?? JSON.stringify({ accessToken: info.accounts[0]!.token, baseUrl: info.apiUrl }), { mode });
    chmodSync(file, mode);
    return file;
  };

  it('holding a token and readable or writable by group/others: refused with the chmod to run, exit 1', async () => {
    for (const mode of [0o644, 0o640, 0o604, 0o620]) {
      const file = tokenFile(mode);
      const r = await cli.run(['identity'], { env: { COPERNICA_CONFIG: file } });
      expect(r.code, mode.toString(8)).toBe(1);
      expect(r.stdout).toBe('');
      expect(lines(r.stderr)).toHaveLength(1);
      expect(r.stderr).toContain(`copernica: CliError: the config file ${file} holds an access token and is`);
      expect(r.stderr).toContain(`(mode 0${mode.toString(8)}); run: chmod 600 ${file} (or set COPERNICA_ACCESS_TOKEN instead)`);
    }
    const fixed = tokenFile(0o600);
    const ok = await cli.run(['identity', '--json'], { env: { COPERNICA_CONFIG: fixed } });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toBe('');
  });

  it('when COPERNICA_ACCESS_TOKEN replaces the stored token, a loose file only warns (on stderr)', async () => {
    const file = tokenFile(0o644);
    const r = await cli.run(['identity', '--json'], { env: { COPERNICA_CONFIG: file, COPERNICA_ACCESS_TOKEN: info.accounts[1]!.token } });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ID: 2 });
    expect(r.stderr).toBe(
      `copernica: warning: the config file ${file} holds an access token and is readable by group or others (mode 0644); run: chmod 600 ${file}\n`,
    );
  });

  it('a file without a token (base URL only) is not checked', async () => {
    const file = tokenFile(0o644, JSON.stringify({ baseUrl: info.apiUrl }));
    const r = await cli.run(['identity', '--json'], { env: { COPERNICA_CONFIG: file, COPERNICA_ACCESS_TOKEN: info.accounts[0]!.token } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('a UTF-8 byte order mark is accepted', async () => {
    const file = tokenFile(0o600, `\uFEFF${JSON.stringify({ accessToken: info.accounts[2]!.token, baseUrl: info.apiUrl })}\r\n`);
    expect(readFileSync(file)[0]).toBe(0xef);
    const r = await cli.run(['identity', '--json'], { env: { COPERNICA_CONFIG: file } });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ID: 3 });
  });
});

describe('a token the SDK refuses', () => {
  it('is one clear line naming where it came from, exit 2, no stack, the value not shown', async () => {
    const bad = 'abc defghijklmnop';
    const r = await cli.run(['identity'], { env: { ...env, COPERNICA_ACCESS_TOKEN: bad } });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^copernica: UsageError: the access token from COPERNICA_ACCESS_TOKEN is refused: accessToken/);
    expect(r.stderr).not.toContain(bad);
    expect(r.stderr).not.toContain('    at ');
    const file = join(cli.tempDir(), 'config.json');
    writeFileSync(file, JSON.stringify({ accessToken: 'x\ty' }), { mode: 0o600 });
    const fromFile = await cli.run(['identity'], { env: { COPERNICA_CONFIG: file, COPERNICA_BASE_URL: info.apiUrl } });
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toMatch(
      new RegExp(
        `^copernica: UsageError: the access token from the config file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is refused: `,
      ),
    );
  });
});
