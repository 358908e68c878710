// `npm run example -- examples/x.ts [args…]`: builds dist/ if it is stale (see build-if-stale.mjs),
// then runs the file on this Node (the pinned Node 24 under npm: it strips TypeScript types), with
// its arguments, stdin and stdout untouched; exits with the example's exit code.
import { spawnSync } from 'node:child_process';
import { buildIfStale } from './build-if-stale.mjs';

const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: npm run example -- examples/<file>.ts [arguments]');
  process.exit(2);
}
try {
  buildIfStale();
} catch {
  console.error('copernica-rest: the build failed (its errors are above); nothing was run');
  process.exit(1);
}
const child = spawnSync(process.execPath, [file, ...args], { stdio: 'inherit' });
if (child.error) throw child.error;
process.exit(child.status ?? 1);
