/**
 * In-process tests of the CLI's pieces: output formats, the progress bar on a terminal (and its
 * absence elsewhere), query parsing, the config file location and permissions.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkConfigMode, configPath, readConfig, writeConfig, type LoadedConfig } from '../../src/cli/config.js';
import { parseQuery } from '../../src/cli/commands/request.js';
import { csvText, printItems, tableText } from '../../src/cli/output.js';
import { run } from '../../src/cli/program.js';
import { createProgress } from '../../src/cli/progress.js';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';

class Sink extends Writable {
  text = '';
  isTTY: boolean | undefined;
  columns = 80;
  constructor(tty?: boolean) {
    super();
    this.isTTY = tty;
  }
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'copernica-cli-unit-'));
  dirs.push(d);
  return d;
};
let fake: FakeCopernica;
beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 4, profiles: 150 });
});
afterAll(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  await fake.close();
});

describe('output formats', () => {
  it('table aligns columns, shows null as empty and cuts long cells', () => {
    const text = tableText([
      { ID: 1, name: 'a', note: null },
      { ID: 22, name: 'x'.repeat(70), note: ['p', 'q'] },
    ]);
    const rows = text.split('\n');
    expect(rows[0]).toBe(`ID  name${' '.repeat(56)}  note`);
    expect(rows[1]).toBe(`1   a`);
    expect(rows[2]).toBe(`22  ${'x'.repeat(59)}…  p;q`);
  });

  it('csv quotes per RFC 4180 and writes the header once', async () => {
    expect(csvText([{ a: 'x,y', b: 'say "hi"' }], ['a', 'b'], true)).toBe('a,b\n"x,y","say ""hi"""\n');
    const out = new Sink();
    const n = await printItems(
      out,
      [
        { a: 1, b: null },
        { a: 2, b: true },
      ],
      'csv',
    );
    expect(n).toBe(2);
    expect(out.text).toBe('a,b\n1,\n2,true\n');
  });

  it('json is one valid array (also when empty); ndjson one object a line', async () => {
    const j = new Sink();
    await printItems(
      j,
      (async function* () {
        yield { a: 1 };
        yield { a: 2 };
      })(),
      'json',
    );
    expect(JSON.parse(j.text)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(j.text).toBe('[\n{"a":1},\n{"a":2}\n]\n');
    const e = new Sink();
    await printItems(e, [], 'json');
    expect(e.text).toBe('[]\n');
    const n = new Sink();
    await printItems(n, [{ a: 1 }, { b: 'x' }], 'ndjson');
    expect(n.text).toBe('{"a":1}\n{"b":"x"}\n');
  });
});

describe('progress bar', () => {
  it('draws on a terminal and stays silent otherwise', async () => {
    const tty = new Sink(true);
    const bar = await createProgress(tty, 3);
    bar.tick();
    bar.tick();
    bar.tick();
    bar.stop();
    expect(tty.text).toContain('3/3 profiles');
    expect(tty.text).toContain('100%');
    const pipe = new Sink(false);
    const quiet = await createProgress(pipe, 3);
    quiet.tick();
    quiet.stop();
    expect(pipe.text).toBe('');
  });

  it('profiles export draws the bar on a terminal stderr (total from the server), the data still on stdout', async () => {
    const env = {
      COPERNICA_ACCESS_TOKEN: fake.accounts[0]!.token,
      COPERNICA_BASE_URL: fake.apiUrl,
      COPERNICA_CONFIG: join(temp(), 'c.json'),
    };
    const stdout = new Sink();
    const stderr = new Sink(true);
    const code = await run(['profiles', 'export', '--database', '1'], { env, stdout, stderr });
    expect(code).toBe(0);
    expect(stdout.text.trim().split('\n')).toHaveLength(150);
    expect(stderr.text).toContain('150/150 profiles');
    const plain = new Sink(false);
    expect(await run(['profiles', 'export', '--database', '1'], { env, stdout: new Sink(), stderr: plain })).toBe(0);
    expect(plain.text).toBe('');
  });
});

describe('request --query', () => {
  it('repeated keys and key[] become arrays; access_token is refused', () => {
    expect(parseQuery(['limit=10', 'fields[]=country==nl', 'fields=age>5', 'x=a=b', 'empty='])).toEqual({
      limit: '10',
      fields: ['country==nl', 'age>5'],
      x: 'a=b',
      empty: '',
    });
    expect(() => parseQuery(['=x'])).toThrow(/key=value/);
    expect(() => parseQuery(['access_token=abc'])).toThrow(/not allowed/);
  });
});

describe('config file', () => {
  it('location: COPERNICA_CONFIG (file or directory), XDG_CONFIG_HOME, ~/.config', () => {
    const d = temp();
    expect(configPath({ COPERNICA_CONFIG: join(d, 'x.json') })).toBe(join(d, 'x.json'));
    expect(configPath({ COPERNICA_CONFIG: d })).toBe(join(d, 'config.json'));
    expect(configPath({ COPERNICA_CONFIG: '/nonexistent/dir/' })).toBe('/nonexistent/dir/config.json');
    expect(configPath({ XDG_CONFIG_HOME: '/xdg' })).toBe('/xdg/copernica/config.json');
    expect(configPath({ HOME: '/home/u' })).toBe('/home/u/.config/copernica/config.json');
  });

  it('written 0600 in a new 0700 directory, even with a permissive umask; read back', () => {
    const env = { XDG_CONFIG_HOME: join(temp(), 'xdg') };
    const old = process.umask(0o000);
    try {
      const file = writeConfig(env, { accessToken: 'tok-123456', baseUrl: 'http://127.0.0.1:1/v1' });
      expect(file).toBe(join(env.XDG_CONFIG_HOME, 'copernica', 'config.json'));
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(join(env.XDG_CONFIG_HOME, 'copernica')).mode & 0o777).toBe(0o700);
    } finally {
      process.umask(old);
    }
    expect(readConfig(env)).toEqual({ accessToken: 'tok-123456', baseUrl: 'http://127.0.0.1:1/v1' });
  });

  it('a broken file is a one-line error that does not echo its content', async () => {
    const file = join(temp(), 'config.json');
    writeFileSync(file, '{"accessToken": "secret-in-broken-file', { mode: 0o600 });
    const stderr = new Sink();
    const code = await run(['identity'], { env: { COPERNICA_CONFIG: file }, stdout: new Sink(), stderr });
    expect(code).toBe(1);
    expect(stderr.text).toBe(`copernica: CliError: the config file ${file} is not valid JSON; fix it or run \`copernica login\` again\n`);
    expect(readFileSync(file, 'utf8')).toContain('secret-in-broken-file');
  });
});

describe('checkConfigMode', () => {
  const loaded = (
    mode: number | undefined,
    accessToken: string | null = 'a-token-value',
    file = '/home/me/.config/copernica/config.json',
  ): LoadedConfig => ({
    file,
    mode,
    config: accessToken === null ? {} : { accessToken },
  });
  const warnings: string[] = [];
  const warn = (t: string) => void warnings.push(t);

  it('passes a private file, a file without a token, a missing file, and any file on Windows', () => {
    for (const l of [loaded(0o600), loaded(0o400), loaded(0o644, null), loaded(undefined)])
      expect(() => checkConfigMode(l, {}, warn, 'linux')).not.toThrow();
    expect(() => checkConfigMode(loaded(0o666), {}, warn, 'win32')).not.toThrow();
    expect(warnings).toEqual([]);
  });

  it('refuses a shared token file with a chmod the shell can run, quoting an odd path', () => {
    expect(() => checkConfigMode(loaded(0o666, 'x', "/tmp/it's mine/config.json"), {}, warn, 'linux')).toThrow(
      "the config file /tmp/it's mine/config.json holds an access token and is writable by group or others (mode 0666); run: chmod 600 '/tmp/it'\\''s mine/config.json' (or set COPERNICA_ACCESS_TOKEN instead)",
    );
    expect(() => checkConfigMode(loaded(0o640), {}, warn, 'linux')).toThrow(
      /readable by group or others \(mode 0640\); run: chmod 600 \/home\/me\/\.config\/copernica\/config\.json /,
    );
  });

  it('only warns when COPERNICA_ACCESS_TOKEN replaces the stored token', () => {
    warnings.length = 0;
    checkConfigMode(loaded(0o604), { COPERNICA_ACCESS_TOKEN: 'other' }, warn, 'linux');
    expect(warnings).toEqual([
      'copernica: warning: the config file /home/me/.config/copernica/config.json holds an access token and is readable by group or others (mode 0604); run: chmod 600 /home/me/.config/copernica/config.json',
    ]);
  });
});
