// Packs the package, installs the tarball into tiny consumer projects (CJS require, ESM import,
// TypeScript with moduleResolution node16 and bundler) copied from test/consumers/, and checks
// that they compile and run. Runs on the pinned Node (npm puts node_modules/.bin first on PATH).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const work = join(root, '.tmp', 'consumers');
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], root));
const tarball = join(work, packed[0].filename);
console.log(`packed ${packed[0].filename}: ${packed[0].size} bytes, ${packed[0].entryCount} files`);

// One install at the top; each consumer folder has its own package.json ("type") and resolves
// copernica-rest from ../node_modules.
writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'consumers', private: true }));
run(
  'npm',
  [
    'install',
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    '--no-package-lock',
    tarball,
    `@types/node@${process.versions.node.split('.')[0]}`,
  ],
  work,
);

const tsc = join(root, 'node_modules', '.bin', 'tsc');
let failed = 0;
for (const name of readdirSync(join(root, 'test', 'consumers'))) {
  const dir = join(work, name);
  cpSync(join(root, 'test', 'consumers', name), dir, { recursive: true });
  try {
    if (name.startsWith('ts-')) {
      run(tsc, ['-p', 'tsconfig.json'], dir);
      process.stdout.write(run(process.execPath, ['dist/index.js'], dir));
    } else {
      process.stdout.write(run(process.execPath, ['index.js'], dir));
    }
  } catch (error) {
    failed++;
    console.error(`consumer ${name} failed: ${error.message}`);
    if (error.stdout) console.error(error.stdout);
  }
}
if (failed) {
  console.error(`${failed} consumer project(s) failed`);
  process.exit(1);
}
console.log('all consumer projects compiled and ran');
