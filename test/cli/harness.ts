/**
 * Runs the CLI as a real process: `src/cli/index.ts` is bundled once per test file with esbuild
 * (dependencies stay external and resolve from node_modules), then spawned with `process.execPath`.
 * Every output is kept, so a suite can check that no token appears anywhere.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '../..');

export interface CliRun {
  args: string[];
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliHarness {
  /** Runs to the end. */
  run(args: string[], options?: { env?: Record<string, string | undefined>; input?: string; timeoutMs?: number }): Promise<CliRun>;
  /** Starts a long-running process (login, fake); its output is collected too. */
  start(args: string[], options?: { env?: Record<string, string | undefined> }): LiveCli;
  /** Every finished or live run's output so far. */
  outputs(): CliRun[];
  /** A fresh temporary directory (removed by `dispose`). */
  tempDir(): string;
  /** The environment every run gets (plus per-run additions). */
  baseEnv: Record<string, string | undefined>;
  dispose(): Promise<void>;
}

export interface LiveCli {
  child: ChildProcessWithoutNullStreams;
  readonly result: CliRun;
  /** Resolves when stdout+stderr match `re`. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<CliRun>;
}

export async function createCliHarness(baseEnv: Record<string, string | undefined>): Promise<CliHarness> {
  const cacheDir = join(root, 'node_modules', '.cache', 'copernica-cli-test');
  mkdirSync(cacheDir, { recursive: true });
  const outfile = join(cacheDir, `cli-${process.pid}-${Math.random().toString(36).slice(2)}.mjs`);
  await build({
    entryPoints: [join(root, 'src/cli/index.ts')],
    outfile,
    platform: 'node',
    format: 'esm',
    bundle: true,
    packages: 'external',
    target: 'node22',
    logLevel: 'error',
  });
  const runs: CliRun[] = [];
  const temps: string[] = [];
  const live: ChildProcessWithoutNullStreams[] = [];

  const env = (extra: Record<string, string | undefined> = {}) => {
    // Only what the test hands over: no COPERNICA_* from the developer's shell, and no HOME config.
    const merged: Record<string, string> = { PATH: process.env.PATH ?? '', NO_COLOR: '1' };
    for (const [k, v] of Object.entries({ ...harness.baseEnv, ...extra })) if (v !== undefined) merged[k] = v;
    return merged;
  };

  const start = (args: string[], options: { env?: Record<string, string | undefined> } = {}): LiveCli => {
    const child = spawn(process.execPath, [outfile, ...args], { env: env(options.env), stdio: 'pipe' });
    live.push(child);
    const result: CliRun = { args, code: null, stdout: '', stderr: '' };
    runs.push(result);
    const waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
    const check = () => {
      for (const w of [...waiters]) {
        const m = (result.stdout + result.stderr).match(w.re);
        if (m) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    };
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      result.stdout += d;
      check();
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      result.stderr += d;
      check();
    });
    const exited = new Promise<CliRun>((res) => {
      child.on('close', (code) => {
        result.code = code;
        live.splice(live.indexOf(child), 1);
        res(result);
      });
    });
    return {
      child,
      result,
      exited,
      waitFor: (re, timeoutMs = 10_000) =>
        new Promise<RegExpMatchArray>((res, rej) => {
          const m = (result.stdout + result.stderr).match(re);
          if (m) return res(m);
          const timer = setTimeout(() => rej(new Error(`timed out waiting for ${re} in:\n${result.stdout}\n${result.stderr}`)), timeoutMs);
          waiters.push({ re, resolve: (x) => (clearTimeout(timer), res(x)) });
          void exited.then(() => {
            clearTimeout(timer);
            const late = (result.stdout + result.stderr).match(re);
            if (late) res(late);
            else rej(new Error(`exited (${result.code}) before ${re}:\n${result.stdout}\n${result.stderr}`));
          });
        }),
    };
  };

  const harness: CliHarness = {
    baseEnv,
    start,
    async run(args, options = {}) {
      const p = start(args, options);
      if (options.input !== undefined) p.child.stdin.end(options.input);
      else p.child.stdin.end();
      const timer = setTimeout(() => p.child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
      const r = await p.exited;
      clearTimeout(timer);
      return r;
    },
    outputs: () => runs,
    tempDir() {
      const d = mkdtempSync(join(tmpdir(), 'copernica-cli-'));
      temps.push(d);
      return d;
    },
    async dispose() {
      for (const c of [...live]) c.kill('SIGKILL');
      rmSync(outfile, { force: true });
      for (const d of temps) rmSync(d, { recursive: true, force: true });
    },
  };
  return harness;
}

/** The text of an HTML page's attribute or body as the browser reads it (the five entities our pages use). */
export const unescapeHtml = (s: string): string =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
