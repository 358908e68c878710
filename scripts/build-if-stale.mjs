// Builds dist/ only when it is missing or older than what it is built from (src/, tsup.config.ts,
// package.json, tsconfig.json), so `npm run example -- x.ts` and `npm run demo` start in a fraction
// of a second once built. Build output goes to stderr: an example's stdout may be its data.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..');

/** Files `npm run build` writes; a missing one means dist/ is stale. */
export const builtFiles = [
  'index.js',
  'index.cjs',
  'index.d.ts',
  'index.d.cts',
  'oauth.js',
  'oauth.cjs',
  'oauth.d.ts',
  'oauth.d.cts',
  'testing.js',
  'testing.cjs',
  'testing.d.ts',
  'testing.d.cts',
  'node-version.cjs',
  'node-version-bin.cjs',
  'cli.js',
  'fake-bin.js',
];

function newestIn(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs; // a deleted file shows as a newer directory
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestIn(join(path, entry)));
  return newest;
}

/** Why dist/ must be rebuilt, or null when it is up to date (`dir`: the project root, for tests). */
export function staleReason(dir = root) {
  let oldestOutput = Infinity;
  for (const file of builtFiles) {
    try {
      oldestOutput = Math.min(oldestOutput, statSync(join(dir, 'dist', file)).mtimeMs);
    } catch {
      return `dist/${file} is missing`;
    }
  }
  for (const input of ['src', 'tsup.config.ts', 'package.json', 'tsconfig.json']) {
    if (newestIn(join(dir, input)) > oldestOutput) return `${input} changed since the last build`;
  }
  return null;
}

/** Runs `npm run build` when dist/ is stale; returns whether it built. */
export function buildIfStale() {
  const reason = staleReason();
  if (!reason) return false;
  process.stderr.write(`copernica-rest: building (${reason})…\n`);
  execFileSync('npm', ['run', 'build', '--silent', '--', '--silent'], { cwd: root, stdio: ['ignore', process.stderr, 'inherit'] });
  return true;
}

if (import.meta.filename === process.argv[1]) buildIfStale();
