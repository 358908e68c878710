import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CLI_APP, STANDALONE_OPTIONS } from '../../src/testing/standalone.js';

const dir = mkdtempSync(join(tmpdir(), 'copernica-fake-bin-'));
const out = join(dir, 'bin.mjs');
beforeAll(() => {
  buildSync({ entryPoints: ['src/testing/bin.ts'], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'silent' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the bin and resolves once its banner (or JSON line) is out. */
function start(args: string[], until: RegExp) {
  const child = spawn(process.execPath, [out, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no output: ${stdout} ${stderr}`)), 10_000);
    child.stdout.on('data', (c: string) => {
      stdout += c;
      if (until.test(stdout)) {
        clearTimeout(timer);
        resolve(stdout);
      }
    });
    void exit.then(() => reject(new Error(`exited early: ${stdout} ${stderr}`)));
  });
  return { child, ready, exit, stderr: () => stderr };
}

/** Runs the bin to its end. */
function runToEnd(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [out, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

test('copernica-fake starts, prints URLs and tokens that work, and stops on SIGINT', async () => {
  const fake = start(['--port', '0', '--seed', '4', '--profiles', '1000'], /copernica login --client-id .*\n/);
  const stdout = await fake.ready;
  const apiUrl = /API:\s+(\S+)/.exec(stdout)![1]!;
  expect(stdout).toMatch(/web \(OAuth\):\s+http:\/\/127\.0\.0\.1:\d+\/en\/authorize/);
  expect(stdout).toContain('web user solo@example.com');
  expect(stdout).toContain(`client_id ${CLI_APP.clientId}  client_secret ${CLI_APP.clientSecret}  redirect_uri ${CLI_APP.redirectUri}`);
  const token = /^\s+1\s+acme-newsletters\s+([0-9a-f]{32})$/m.exec(stdout)![1]!;
  const r = await fetch(`${apiUrl}/database/1/profiles?limit=1&access_token=${token}`);
  expect(((await r.json()) as any).total).toBe(1000);
  // recent mailings by default: logfiles up to yesterday, none in the future
  const dates = (await (await fetch(`${apiUrl}/logfiles?access_token=${token}`)).json()) as string[];
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  expect(dates).toContain(yesterday);
  for (const d of dates) expect(d <= new Date().toISOString().slice(0, 10)).toBe(true);
  fake.child.kill('SIGINT');
  expect(await fake.exit).toBe(0);
});

describe('the options shared with `copernica fake`', () => {
  test('--no-mailings starts without mailings; --latency delays every API request; --json prints one line', async () => {
    const fake = start(['--no-mailings', '--latency', '150', '--profiles', '3', '--json'], /\}\n/);
    const info = JSON.parse(await fake.ready) as { apiUrl: string; accounts: { token: string }[]; cliApp: { redirectUri: string } };
    expect(info.cliApp.redirectUri).toBe(CLI_APP.redirectUri);
    const t0 = performance.now();
    const dates = (await (await fetch(`${info.apiUrl}/logfiles?access_token=${info.accounts[0]!.token}`)).json()) as string[];
    // the latency option is applied (a functional check that the option reaches the fake, not a speed target)
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    expect(dates).toEqual([]);
    fake.child.kill('SIGTERM');
    expect(await fake.exit).toBe(0);
  });

  test('--help lists every shared option; bad values exit 2 with one line', async () => {
    const help = await runToEnd(['--help']);
    expect(help.code).toBe(0);
    for (const o of STANDALONE_OPTIONS) expect(help.stdout).toContain(`--${o.name}`);
    const [latency, both, unknown] = await Promise.all([
      runToEnd(['--latency', 'x']),
      runToEnd(['--mailings', '2', '--no-mailings']),
      runToEnd(['--bogus']),
    ]);
    expect(latency).toMatchObject({ code: 2, stderr: 'copernica-fake: --latency must be an integer from 0 to 60000, got "x"\n' });
    expect(both).toMatchObject({ code: 2, stderr: 'copernica-fake: --mailings and --no-mailings contradict each other; give one\n' });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^copernica-fake: Unknown option '--bogus'/);
  });
});
