/**
 * The `copernica` CLI end to end: spawned processes against the fake server over real HTTP; real
 * stdout/stderr and exit codes.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';
import { createCliHarness, type CliHarness } from './harness.js';

const PROFILES = 230; // three pages of 100
let fake: FakeCopernica;
let cli: CliHarness;
let token: string;
let clickLog: string;
let profileWithEvents: number;

beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 1, profiles: PROFILES });
  token = fake.accounts[0]!.token;
  cli = await createCliHarness({});
  cli.baseEnv = { COPERNICA_ACCESS_TOKEN: token, COPERNICA_BASE_URL: fake.apiUrl, COPERNICA_CONFIG: join(cli.tempDir(), 'config.json') };
  clickLog = fake.generateLogfile({ type: 'cdm-click', date: '2017-03-08', rows: 25 });
  const mailing = fake.sendMailing({
    target: { database: 1 },
    at: '2017-03-08 09:00:00',
    seed: 3,
    tags: ['spring'],
    rates: { open: 1, click: 1, bounce: 0, unsubscribe: 0, abuse: 0 },
  });
  expect(mailing.counts.deliveries).toBeGreaterThan(0);
  profileWithEvents = 1;
});

afterAll(async () => {
  try {
    // No access token of the fake appears in any output of this suite.
    // (`copernica fake` prints its own fake app's secret by design; it is the same in every fake.)
    for (const r of cli.outputs()) {
      const secrets = [...fake.accounts.map((a) => a.token), ...(r.args[0] === 'fake' ? [] : [fake.app.clientSecret])];
      for (const s of secrets) {
        expect(r.stdout, `stdout of copernica ${r.args.join(' ')}`).not.toContain(s);
        expect(r.stderr, `stderr of copernica ${r.args.join(' ')}`).not.toContain(s);
      }
    }
  } finally {
    await cli?.dispose();
    await fake?.close();
  }
});

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

describe('help and usage', () => {
  it('--help on the program and on every command, exit 0', async () => {
    const top = await cli.run(['--help']);
    expect(top.code).toBe(0);
    for (const c of ['login', 'identity', 'databases', 'profiles', 'logfiles', 'events', 'request', 'fake'])
      expect(top.stdout).toContain(c);
    expect(top.stdout).toContain('Exit codes: 0 ok, 1 runtime or API error, 2 usage error.');
    const commands = [
      ['login'],
      ['identity'],
      ['databases', 'list'],
      ['profiles', 'list'],
      ['profiles', 'export'],
      ['logfiles', 'list'],
      ['logfiles', 'names'],
      ['logfiles', 'download'],
      ['logfiles', 'records'],
      ['events', 'profile'],
      ['events', 'tags'],
      ['request'],
      ['fake'],
    ];
    const results = await Promise.all(commands.map((c) => cli.run([...c, '--help'])));
    for (const [i, r] of results.entries()) {
      expect(r.code, commands[i]!.join(' ')).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: copernica ${commands[i]!.join(' ')}`));
      expect(r.stdout).toContain('--base-url <url>');
      expect(r.stderr).toBe('');
    }
  });

  it('usage errors exit 2 with one line on stderr', async () => {
    const cases = [
      ['bogus'],
      ['profiles', 'list'], // --database missing
      ['profiles', 'list', '--database', '1', '--format', 'xml'],
      ['profiles', 'list', '--database', '1', '--limit', 'ten'],
      ['profiles', 'list', '--database', '1', '--where', 'country=nl'],
      ['profiles', 'export', '--format', 'table', '--database', '1'],
      ['profiles', 'export'],
      ['request', 'PATCH', '/identity'],
      ['request', 'GET', '/identity', '--query', 'novalue'],
      ['identity', '--nope'],
    ];
    const results = await Promise.all(cases.map((c) => cli.run(c)));
    for (const [i, r] of results.entries()) {
      expect(r.code, cases[i]!.join(' ')).toBe(2);
      expect(lines(r.stderr), cases[i]!.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^copernica: (UsageError|ValidationError): \S/);
      expect(r.stderr).not.toContain('    at ');
      expect(r.stdout).toBe('');
    }
    expect(results[4]!.stderr).toContain('equality is "=="');
    expect(results[1]!.stderr).toContain("required option '--database <id|name>' not specified");
  });

  it('a group without a subcommand prints its help on stderr and exits 2', async () => {
    const r = await cli.run(['databases']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: copernica databases');
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe('copernica: UsageError: a subcommand is required (see the help above)');
  });
});

describe('runtime errors', () => {
  it('an API error exits 1 with one line and no stack; --debug adds the stack, never the token', async () => {
    const r = await cli.run(['identity'], { env: { COPERNICA_ACCESS_TOKEN: 'deadbeefdeadbeefdeadbeefdeadbeef' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('copernica: InvalidTokenError: 400: Invalid access token\n');
    const d = await cli.run(['identity', '--debug'], { env: { COPERNICA_ACCESS_TOKEN: 'deadbeefdeadbeefdeadbeefdeadbeef' } });
    expect(d.code).toBe(1);
    expect(lines(d.stderr)[0]).toBe('copernica: InvalidTokenError: 400: Invalid access token');
    expect(d.stderr).toContain('    at ');
    expect(d.stderr).not.toContain('deadbeefdeadbeefdeadbeefdeadbeef');
  });

  it('no token anywhere: exit 1 telling how to log in', async () => {
    const r = await cli.run(['databases', 'list'], { env: { COPERNICA_ACCESS_TOKEN: undefined } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^copernica: CliError: no access token: run `copernica login` or set COPERNICA_ACCESS_TOKEN/);
  });

  it('unknown path through request: exit 1 with the server message', async () => {
    const r = await cli.run(['request', 'GET', '/no/such/thing']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('copernica: APIError: 400: Invalid method\n');
  });

  it('a server that is down: exit 1, one line', async () => {
    const r = await cli.run(['identity', '--base-url', 'http://127.0.0.1:9/v1']);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^copernica: ConnectionError: /);
  });
});

describe('identity and databases', () => {
  it('identity as table and --json', async () => {
    const [t, j] = await Promise.all([cli.run(['identity']), cli.run(['identity', '--json'])]);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^ID\s+1\nname\s+acme-newsletters\n/);
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout)).toMatchObject({ ID: 1, name: fake.accounts[0]!.name });
  });

  it('--base-url on the command line wins over COPERNICA_BASE_URL', async () => {
    const r = await cli.run(['identity', '--json', '--base-url', fake.apiUrl], { env: { COPERNICA_BASE_URL: 'http://127.0.0.1:9/v1' } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).ID).toBe(1);
  });

  it('databases list: table, json, ndjson, csv agree', async () => {
    const [t, j, n, c] = await Promise.all(['table', 'json', 'ndjson', 'csv'].map((f) => cli.run(['databases', 'list', '--format', f])));
    for (const r of [t, j, n, c]) expect(r!.code).toBe(0);
    const json = JSON.parse(j!.stdout) as { ID: number; name: string; fields: unknown[] }[];
    const expected = [...fake.account().databases.values()].map((d) => d.name);
    expect(json.map((d) => d.name).sort()).toEqual(expected.sort());
    expect(typeof json[0]!.ID).toBe('number');
    expect(Array.isArray(json[0]!.fields)).toBe(true);
    expect(lines(n!.stdout).map((l) => JSON.parse(l).name)).toEqual(json.map((d) => d.name));
    expect(lines(c!.stdout)[0]).toBe('ID,name,description,archived,created,fields,collections');
    expect(lines(c!.stdout)).toHaveLength(json.length + 1);
    expect(lines(t!.stdout)[0]).toMatch(/^ID\s+name\s+description\s+archived\s+created\s+fields\s+collections$/);
    expect(lines(t!.stdout)).toHaveLength(json.length + 1);
  });
});

describe('profiles', () => {
  it('list with --where (repeatable), by database name, in every format', async () => {
    const args = ['profiles', 'list', '--database', 'customers', '--where', 'country==netherlands', '--where', 'age>=30', '--limit', '5'];
    const [t, j, n, c] = await Promise.all(['table', 'json', 'ndjson', 'csv'].map((f) => cli.run([...args, '--format', f])));
    for (const r of [t, j, n, c]) expect(r!.code, r!.stderr).toBe(0);
    const json = JSON.parse(j!.stdout) as { ID: number; fields: Record<string, string> }[];
    expect(json.length).toBe(5);
    for (const p of json) {
      expect(p.fields.country).toBe('netherlands');
      expect(Number(p.fields.age)).toBeGreaterThanOrEqual(30);
    }
    expect(lines(n!.stdout).map((l) => JSON.parse(l).ID)).toEqual(json.map((p) => p.ID));
    const csv = lines(c!.stdout);
    expect(csv[0]!.startsWith('ID,created,modified,firstname,')).toBe(true);
    expect(csv.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(json.map((p) => p.ID));
    expect(lines(t!.stdout)).toHaveLength(6);
    expect(lines(t!.stdout)[1]).toMatch(new RegExp(`^${json[0]!.ID}\\s`));
    // the filters went to the server as fields[] entries
    const sent = fake.requests.filter((r) => r.route === '/database/{databaseId}/profiles');
    expect(sent.length).toBeGreaterThan(0);
  });

  it('list --limit defaults to 100', async () => {
    const r = await cli.run(['profiles', 'list', '--database', '1', '--format', 'ndjson']);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toHaveLength(100);
  });

  it('an unknown database name: exit 1', async () => {
    const r = await cli.run(['profiles', 'list', '--database', 'nosuchdb']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('copernica: CliError: no database named "nosuchdb" in this account\n');
  });

  it('export streams every profile (ndjson and csv), with no progress bar when stderr is not a terminal', async () => {
    const [n, c] = await Promise.all([
      cli.run(['profiles', 'export', '--database', '1']),
      cli.run(['profiles', 'export', '--database', 'customers', '--format', 'csv']),
    ]);
    const fields = (await (await fetch(`${fake.apiUrl}/database/1/fields?access_token=${token}`)).json()) as { data: { name: string }[] };
    const count = (await (await fetch(`${fake.apiUrl}/database/1/profiles?limit=1&access_token=${token}`)).json()) as { total: number };
    expect(count.total).toBe(PROFILES);
    expect(n.code).toBe(0);
    expect(n.stderr).toBe('');
    const ids = lines(n.stdout).map((l) => (JSON.parse(l) as { ID: number }).ID);
    expect(ids).toHaveLength(PROFILES);
    expect(new Set(ids).size).toBe(PROFILES);
    expect(c.code).toBe(0);
    expect(c.stderr).toBe('');
    expect(lines(c.stdout)).toHaveLength(PROFILES + 1);
    expect(lines(c.stdout)[0]).toBe(`ID,created,modified,${fields.data.map((f) => f.name).join(',')}`);
  });

  it('export --where and --output writes the file, nothing on stdout or stderr', async () => {
    const out = join(cli.tempDir(), 'nl.ndjson');
    const r = await cli.run(['profiles', 'export', '--database', '1', '--where', 'country==netherlands', '--output', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
    const rows = lines(readFileSync(out, 'utf8')).map((l) => JSON.parse(l) as { fields: { country: string } });
    const expected = (await (
      await fetch(`${fake.apiUrl}/database/1/profiles?limit=1&fields[]=country%3D%3Dnetherlands&access_token=${token}`)
    ).json()) as { total: number };
    expect(rows).toHaveLength(expected.total);
    expect(rows.every((p) => p.fields.country === 'netherlands')).toBe(true);
    expect(statSync(out).isFile()).toBe(true);
    expect(() => statSync(`${out}.partial`)).toThrow();
  });

  it('export of a view', async () => {
    const views = (await (await fetch(`${fake.apiUrl}/database/1/views?access_token=${token}`)).json()) as {
      data: { ID: string; name: string }[];
    };
    const view = views.data[0]!;
    const expected = (await (await fetch(`${fake.apiUrl}/view/${view.ID}/profiles?limit=1&access_token=${token}`)).json()) as {
      total: number;
    };
    const older = (await (
      await fetch(`${fake.apiUrl}/view/${view.ID}/profiles?limit=1&fields[]=age%3E%3D40&access_token=${token}`)
    ).json()) as { total: number };
    expect(older.total).toBeLessThan(expected.total);
    const [byId, byName, filtered] = await Promise.all([
      cli.run(['profiles', 'export', '--view', view.ID]),
      cli.run(['profiles', 'export', '--database', '1', '--view', view.name, '--format', 'csv']),
      cli.run(['profiles', 'export', '--view', view.ID, '--where', 'age>=40']),
    ]);
    expect(filtered.code, filtered.stderr).toBe(0);
    expect(lines(filtered.stdout)).toHaveLength(older.total);
    expect(byId.code, byId.stderr).toBe(0);
    expect(lines(byId.stdout)).toHaveLength(expected.total);
    expect(byName.code, byName.stderr).toBe(0);
    expect(lines(byName.stdout)).toHaveLength(expected.total + 1);
  });
});

describe('logfiles', () => {
  it('list, names, download (csv/json/xml, --output) and records', async () => {
    const [list, names, csv, json, xml, records] = await Promise.all([
      cli.run(['logfiles', 'list', '--json']),
      cli.run(['logfiles', 'names', '2017-03-08']),
      cli.run(['logfiles', 'download', clickLog]),
      cli.run(['logfiles', 'download', clickLog, '--format', 'json']),
      cli.run(['logfiles', 'download', clickLog, '--format', 'xml']),
      cli.run(['logfiles', 'records', clickLog]),
    ]);
    for (const r of [list, names, csv, json, xml, records]) expect(r.code, `${r.args.join(' ')}: ${r.stderr}`).toBe(0);
    expect(JSON.parse(list.stdout)).toContain('2017-03-08');
    expect(lines(names.stdout)).toContain(clickLog);
    expect(lines(csv.stdout)).toHaveLength(25);
    expect(JSON.parse(json.stdout)).toHaveLength(25);
    expect(xml.stdout).toMatch(/^<\?xml|^<records>/);
    const rows = lines(records.stdout).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(25);
    expect(typeof rows[0]!.linkinfo).toBe('number');

    const out = join(cli.tempDir(), 'clicks.csv');
    const file = await cli.run(['logfiles', 'download', clickLog, '--output', out]);
    expect(file.code).toBe(0);
    expect(file.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(csv.stdout);
    const limited = await cli.run(['logfiles', 'records', clickLog, '--limit', '3', '--from', 'xml']);
    expect(lines(limited.stdout)).toHaveLength(3);
    expect(lines(limited.stdout).map((l) => JSON.parse(l))).toEqual(rows.slice(0, 3));
  });

  it('a bad date is a usage error (exit 2)', async () => {
    const r = await cli.run(['logfiles', 'names', '08-03-2017']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^copernica: ValidationError: /);
  });
});

describe('events', () => {
  it('events of a profile, an address and tags as ndjson/json, windowed', async () => {
    const email = (JSON.parse((await cli.run(['request', 'GET', `/profile/${profileWithEvents}`])).stdout) as { fields: { email: string } })
      .fields.email;
    const [profile, byEmail, tags, limited, outside] = await Promise.all([
      cli.run(['events', 'profile', String(profileWithEvents), '--start', '2017-03-01', '--end', '2017-04-01']),
      cli.run(['events', 'email', email, '--start', '2017-03-01', '--end', '2017-04-01', '--json']),
      cli.run(['events', 'tags', 'spring', '--start', '2017-03-01', '--end', '2017-04-01']),
      cli.run(['events', 'profile', String(profileWithEvents), '--start', '2017-03-01', '--end', '2017-04-01', '--limit', '1']),
      cli.run(['events', 'profile', String(profileWithEvents), '--start', '2018-03-01', '--end', '2018-04-01']),
    ]);
    for (const r of [profile, byEmail, tags, limited, outside]) expect(r.code, `${r.args.join(' ')}: ${r.stderr}`).toBe(0);
    const events = lines(profile.stdout).map((l) => JSON.parse(l) as { event: string });
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['delivery', 'open', 'click']));
    expect((JSON.parse(byEmail.stdout) as unknown[]).length).toBeGreaterThanOrEqual(events.length);
    expect(lines(tags.stdout).length).toBeGreaterThan(events.length);
    expect(lines(limited.stdout)).toHaveLength(1);
    expect(outside.stdout).toBe('');
  });

  it('--tags is refused where the page documents none', async () => {
    const r = await cli.run(['events', 'tags', 'spring', '--tags', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^copernica: UsageError: unknown option '--tags'/);
  });
});

describe('request', () => {
  it('GET with --query (repeated key → key[]) prints the JSON data', async () => {
    const r = await cli.run(['request', 'GET', '/database/1/profiles', '--query', 'fields[]=country==belgium', '--query', 'limit=3']);
    expect(r.code, r.stderr).toBe(0);
    const page = JSON.parse(r.stdout) as { count: number; data: { fields: { country: string } }[] };
    expect(page.count).toBe(3);
    expect(page.data.every((p) => p.fields.country === 'belgium')).toBe(true);
  });

  it('POST --data then PUT and DELETE with --include', async () => {
    const created = await cli.run([
      'request',
      'POST',
      '/database/1/profiles',
      '--data',
      '{"email":"cli@example.com","country":"nl"}',
      '--include',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const c = JSON.parse(created.stdout) as { status: number; id: number; location: string | null };
    expect(c.status).toBe(201);
    expect(typeof c.id).toBe('number');
    const dataFile = join(cli.tempDir(), 'body.json');
    await import('node:fs').then((fs) => fs.writeFileSync(dataFile, '{"fields":{"country":"germany"}}'));
    const put = await cli.run(['request', 'PUT', `/profile/${c.id}`, '--data', `@${dataFile}`, '--include']);
    expect(put.code, put.stderr).toBe(0);
    expect(JSON.parse(put.stdout).status).toBe(303);
    const got = await cli.run(['request', 'GET', `/profile/${c.id}`]);
    expect(JSON.parse(got.stdout).fields.country).toBe('germany');
    const stdinPut = await cli.run(['request', 'PUT', `/profile/${c.id}`, '--data', '@-'], { input: '{"fields":{"country":"france"}}' });
    expect(stdinPut.code, stdinPut.stderr).toBe(0);
    expect(stdinPut.stdout).toBe('');
    const del = await cli.run(['request', 'DELETE', `/profile/${c.id}`, '--include']);
    expect(JSON.parse(del.stdout).status).toBe(200);
    const again = await cli.run(['request', 'DELETE', `/profile/${c.id}`]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('copernica: AlreadyRemovedError: 400: This profile has already been removed\n');
  });

  it('--data that is not JSON: exit 2', async () => {
    const r = await cli.run(['request', 'POST', '/database/1/profiles', '--data', '{nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('copernica: UsageError: --data must be JSON (or @file / @- for stdin holding JSON)\n');
  });
});

describe('fake', () => {
  it('starts a fake server, prints its URLs and tokens, and the CLI works against it', async () => {
    const live = cli.start(['fake', '--seed', '7', '--profiles', '12', '--json']);
    const [line] = await live.waitFor(/^\{.*\}\n/m);
    const info = JSON.parse(line) as { apiUrl: string; url: string; accounts: { token: string }[]; app: { clientId: string } };
    expect(info.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(info.app.clientId).toBe('fake-client-id');
    const r = await cli.run(['profiles', 'export', '--database', '1', '--base-url', info.apiUrl], {
      env: { COPERNICA_ACCESS_TOKEN: info.accounts[0]!.token, COPERNICA_BASE_URL: undefined },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout)).toHaveLength(12);
    live.child.kill('SIGTERM');
    const done = await live.exited;
    expect(done.code).toBe(0);
    // a seed-7 fake's tokens are not the suite's tokens (checked in afterAll): its output may show them
    expect(info.accounts[0]!.token).not.toBe(token);
  });

  it('text output names the API URL', async () => {
    const live = cli.start(['fake', '--seed', '8', '--profiles', '0']);
    await live.waitFor(/API:\s+http:\/\/127\.0\.0\.1:\d+\/v1/);
    live.child.kill('SIGINT');
    expect((await live.exited).code).toBe(0);
  });
});
