// Shared helpers of the benchmarks: child processes, medians, a concurrency runner, formatting.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Starts `bench/fake-server.mjs` in a child process; resolves with its description and a `stop()`. */
export async function startFake(options = {}, nodeFlags = []) {
  const child = spawn(
    process.execPath,
    [...nodeFlags, fileURLToPath(new URL('./fake-server.mjs', import.meta.url)), JSON.stringify(options)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const rl = createInterface({ input: child.stdout });
  const line = await new Promise((resolve, reject) => {
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`fake server exited with ${code}`)));
  });
  const info = JSON.parse(line);
  return {
    ...info,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

/** Runs a Node script in a fresh process; resolves with the JSON it prints on its last stdout line. */
export function runChild(script, args = [], nodeFlags = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, fileURLToPath(new URL(script, import.meta.url)), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: ROOT,
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${script} exited with ${code}`));
      const last = out.trim().split('\n').at(-1);
      try {
        resolve(JSON.parse(last));
      } catch (e) {
        reject(new Error(`${script} printed no JSON: ${out.slice(-500)}`));
      }
    });
  });
}

/**
 * Runs `node [nodeFlags] args...` (a path relative to the repository, or anything node takes) and
 * resolves with the wall time from spawn to exit, as a shell user sees it, and its output.
 */
export function timeProcess(args, { nodeFlags = [], env = process.env } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...nodeFlags, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT, env });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) return reject(new Error(`node ${args.join(' ')} exited with ${code}: ${err.slice(-500)}`));
      resolve({ wallMs, stdout: out, stderr: err });
    });
  });
}

/** The JSON a child printed on its last stdout line. */
export function lastJson(stdout) {
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

/** `min–max` of a list, formatted. */
export const spread = (values, digits = 0) => `${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)}`;

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Calls `fn(i)` `total` times with at most `concurrency` in flight; returns calls per second. */
export async function throughput(fn, total, concurrency) {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) await fn(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return total / ((performance.now() - started) / 1000);
}

/** Fisher-Yates with a seeded PRNG, so the interleaving differs per round but not per run. */
export function shuffled(list, seed) {
  let s = seed >>> 0 || 1;
  const rnd = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const verdict = (ok) => (ok ? 'met' : 'NOT met');
