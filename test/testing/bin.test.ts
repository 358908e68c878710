import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, expect, test } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'copernica-fake-bin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('copernica-fake starts, prints URLs and tokens that work, and stops on SIGINT', async () => {
  const out = join(dir, 'bin.mjs');
  buildSync({ entryPoints: ['src/testing/bin.ts'], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'silent' });
  const child = spawn(process.execPath, [out, '--port', '0', '--seed', '4', '--profiles', '1000'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no output: ${stdout}`)), 10_000);
    child.stdout.on('data', (c: string) => {
      stdout += c;
      if (stdout.includes('user solo@example.com')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const apiUrl = /API:\s+(\S+)/.exec(stdout)![1]!;
  expect(stdout).toMatch(/web \(OAuth\):\s+http:\/\/127\.0\.0\.1:\d+\/en\/authorize/);
  const token = /^\s+1\s+acme-newsletters\s+([0-9a-f]{32})$/m.exec(stdout)![1]!;
  const r = await fetch(`${apiUrl}/database/1/profiles?limit=1&access_token=${token}`);
  expect(((await r.json()) as any).total).toBe(1000);
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  expect(await exit).toBe(0);
});
