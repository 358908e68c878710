/**
 * The package as npm would publish it (`npm pack --dry-run --json`): it holds exactly what the
 * README promises and nothing else, every link in the shipped markdown resolves for a reader on
 * the registry or in node_modules, and on a Node older than `engines` every way in (import,
 * require, both bins) stops with one line naming the Node it needs, before undici is loaded.
 *
 * Builds dist/ first when it is missing or older than src/ (in `npm test` the build step ran just
 * before, so this is a no-op there).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve, sep } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildIfStale, builtFiles, staleReason } from '../scripts/build-if-stale.mjs';
import { MINIMUM_NODE, nodeVersionProblem } from '../src/node-version/check.js';

const root = resolve(import.meta.dirname, '..');
const REPO = 'https://github.com/copernica-rest/copernica-rest';
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  engines: { node: string };
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, Record<string, string>>>;
  files: string[];
  repository: { url: string };
  homepage: string;
  bugs: { url: string };
};

let packed: string[] = [];

beforeAll(() => {
  buildIfStale();
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [info] = JSON.parse(out) as { files: { path: string }[] }[];
  packed = info!.files.map((f) => f.path).sort();
}, 180_000);

/** Inline markdown links `[text](target)` with the line they are on. */
function linksOf(markdown: string): { target: string; line: number }[] {
  const out: { target: string; line: number }[] = [];
  markdown.split('\n').forEach((text, i) => {
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) out.push({ target: m[1]!, line: i + 1 });
  });
  return out;
}

describe('npm pack', () => {
  it('holds exactly the built package, the README, the changelog and the license', () => {
    const allowed = [
      /^package\.json$/,
      /^README\.md$/,
      /^CHANGELOG\.md$/,
      /^LICENSE$/,
      /^dist\/(index|oauth|testing)\.(js|cjs|d\.ts|d\.cts)$/,
      /^dist\/(chunk-[A-Z0-9]+\.(js|cjs)|index-[\w-]+\.d\.c?ts)$/,
      /^dist\/(cli|fake-bin)\.js$/,
      /^dist\/node-version(-bin)?\.cjs$/,
    ];
    expect(packed.filter((f) => !allowed.some((re) => re.test(f)))).toEqual([]);
    const required = ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', ...builtFiles.map((f) => `dist/${f}`)];
    expect(required.filter((f) => !packed.includes(f))).toEqual([]);
    // Nothing from the repository's own sources, tests, spec, scripts or tooling.
    expect(packed.filter((f) => /^(src|test|spec|scripts|examples|bench|docs|\.tmp|node_modules)\//.test(f) || f.endsWith('.map'))).toEqual(
      [],
    );
    console.log(`package: ${packed.length} files packed`);
  });

  it('ships every target of the exports map and both bins, the bins with a node shebang', () => {
    const targets: string[] = [];
    for (const entry of Object.values(pkg.exports)) {
      if (typeof entry === 'string') targets.push(entry);
      else for (const cond of Object.values(entry)) targets.push(...Object.values(cond));
    }
    for (const target of [...targets, ...Object.values(pkg.bin)]) expect(packed, target).toContain(target.replace(/^\.\//, ''));
    expect(Object.keys(pkg.bin).sort()).toEqual(['copernica', 'copernica-fake']);
    for (const bin of Object.values(pkg.bin)) expect(readFileSync(join(root, bin), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('names its repository, homepage and issue tracker', () => {
    expect(pkg.repository.url).toBe(`git+${REPO}.git`);
    expect(pkg.homepage).toBe(`${REPO}#readme`);
    expect(pkg.bugs.url).toBe(`${REPO}/issues`);
  });

  for (const doc of ['README.md', 'CHANGELOG.md']) {
    it(`every link in the packed ${doc} resolves on the registry and in node_modules`, () => {
      expect(packed).toContain(doc);
      const text = readFileSync(join(root, doc), 'utf8');
      const anchors = new Set(
        [...text.matchAll(/^#+ (.+)$/gm)].map((m) =>
          m[1]!
            .toLowerCase()
            .replace(/[^\w\- ]/g, '')
            .replace(/ /g, '-'),
        ),
      );
      const problems: string[] = [];
      for (const { target, line } of linksOf(text)) {
        const where = `${doc}:${line}: ${target}`;
        if (target.startsWith('#')) {
          if (!anchors.has(target.slice(1))) problems.push(`${where}: no such heading`);
        } else if (target.startsWith(`${REPO}/blob/main/`) || target.startsWith(`${REPO}/tree/main/`)) {
          // A file of the repository: it must exist in this checkout (and so on the default branch once pushed).
          const path = target.replace(/^.*?\/(blob|tree)\/main\//, '').replace(/#.*$/, '');
          const kind = target.includes('/tree/main/') ? 'directory' : 'file';
          const full = join(root, ...path.split('/'));
          if (!existsSync(full) || statSync(full).isDirectory() !== (kind === 'directory'))
            problems.push(`${where}: no such ${kind} in the repository`);
        } else if (/^[a-z]+:/i.test(target)) {
          if (target.startsWith(REPO) && !/^https:\/\/github\.com\/copernica-rest\/copernica-rest(\/issues)?$/.test(target))
            problems.push(`${where}: link files as ${REPO}/blob/main/<path>`);
        } else {
          // Relative: must be a file the package ships (a reader in node_modules has nothing else).
          const path = target.replace(/#.*$/, '').replace(/^\.\//, '');
          if (!packed.includes(path)) problems.push(`${where}: not in the package (ship it, or link to ${REPO}/blob/main/${path})`);
        }
      }
      expect(problems).toEqual([]);
    });
  }
});

describe('Node version guard', () => {
  const engines = pkg.engines.node;

  it('MINIMUM_NODE is what package.json engines says', () => {
    expect(engines).toBe(`>=${MINIMUM_NODE.replace(/\.0$/, '')}`);
  });

  it('every built file loads the guard before anything else (ESM: first import, CJS: first require)', () => {
    const files = readdirSync(join(root, 'dist')).filter((f) => /\.(c?js)$/.test(f) && !f.startsWith('node-version'));
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const file of files) {
      const statements = readFileSync(join(root, 'dist', file), 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#!') && !l.startsWith('//') && l !== "'use strict';" && l !== '"use strict";');
      const guard = Object.values(pkg.bin).includes(`./dist/${file}`) ? 'node-version-bin.cjs' : 'node-version.cjs';
      expect(statements[0], file).toBe(file.endsWith('.cjs') ? `require('./${guard}');` : `import './${guard}';`);
    }
    for (const guard of ['node-version.cjs', 'node-version-bin.cjs']) {
      expect(readFileSync(join(root, 'dist', guard), 'utf8'), guard).not.toMatch(/\brequire\(|^\s*import\b/m);
    }
  });

  it('names the Node needed for every version below the minimum, and nothing from it on', () => {
    const line = `copernica-rest needs Node.js 22.19 or newer (package.json "engines": "${engines}"); this is Node.js v20.20.2.`;
    expect(nodeVersionProblem('20.20.2')).toBe(line);
    for (const old of ['0.0.0', '18.20.4', '21.99.0', '22.0.0', '22.18.9'])
      expect(nodeVersionProblem(old), old).toMatch(/^copernica-rest needs Node\.js 22\.19 or newer/);
    for (const ok of ['22.19.0', '22.19.1', '22.20.0', '23.0.0', '24.21.0', '26.1.0', '100.0.0'])
      expect(nodeVersionProblem(ok), ok).toBeNull();
    expect(nodeVersionProblem(), 'this Node').toBeNull(); // the default: process.versions.node
  });

  it('on this Node (the suite runs on the version it was told to)', () => {
    if (process.env.COPERNICA_TEST_NODE) expect(process.versions.node).toBe(process.env.COPERNICA_TEST_NODE);
    const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
    const [needMajor, needMinor] = MINIMUM_NODE.split('.').map(Number) as [number, number];
    expect(major > needMajor || (major === needMajor && minor >= needMinor)).toBe(true);
  });

  /** A node binary on the PATH (outside node_modules/.bin) older than engines: Node 20 on our machines and CI. */
  function findOldNode(): { path: string; version: string } | null {
    const [needMajor, needMinor] = MINIMUM_NODE.split('.').map(Number) as [number, number];
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      if (!dir || dir.split(sep).includes('node_modules')) continue;
      const path = join(dir, process.platform === 'win32' ? 'node.exe' : 'node');
      if (!existsSync(path)) continue;
      const version = spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
      const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
      if (version && (major < needMajor || (major === needMajor && minor < needMinor))) return { path, version };
    }
    return null;
  }

  it('on an older Node, import, require and both bins stop with one line naming the Node needed', (ctx) => {
    const old = findOldNode();
    if (!old) {
      const message = `package: no Node older than ${MINIMUM_NODE} on the PATH outside node_modules; the old-Node message was NOT checked on this machine`;
      console.log(message);
      // CI promises Node 20 on the PATH: there, not finding one is a failure, not a skip.
      if (process.env.CI) throw new Error(message);
      ctx.skip();
      return;
    }
    console.log(`package: old-Node message checked with ${old.path} (${old.version})`);
    const line = `copernica-rest needs Node.js ${MINIMUM_NODE.replace(/\.0$/, '')} or newer (package.json "engines": "${engines}"); this is Node.js ${old.version}.`;
    const ways: [string, string[]][] = [
      ['import', ['--input-type=module', '-e', `import '${pkg.name}';`]],
      ['import oauth', ['--input-type=module', '-e', `import '${pkg.name}/oauth';`]],
      ['import testing', ['--input-type=module', '-e', `import '${pkg.name}/testing';`]],
      ['require', ['-e', `require('${pkg.name}');`]],
      ['require testing', ['-e', `require('${pkg.name}/testing');`]],
      ['copernica', [join(root, pkg.bin.copernica!), '--help']],
      ['copernica-fake', [join(root, pkg.bin['copernica-fake']!), '--port', '0']],
    ];
    for (const [way, args] of ways) {
      // The package resolves itself by name from its own folder (exports map), as from node_modules.
      const result = spawnSync(old.path, args, { cwd: root, encoding: 'utf8', timeout: 30_000 });
      expect(result.status, `${way}: exit status`).not.toBe(0);
      expect(result.stdout, way).toBe('');
      expect(result.stderr, way).not.toMatch(/bind|undici/);
      // import/require throw an Error with that line (a caller can catch it); the bins print only the line.
      if (way.startsWith('copernica'))
        expect({ status: result.status, stderr: result.stderr }, way).toEqual({ status: 1, stderr: `${line}\n` });
      else expect(result.stderr.split('\n'), way).toContain(`Error: ${line}`);
    }
  });
});

describe('npm run example builds only when dist/ is stale', () => {
  it('rebuilds for a missing output or a source newer than the oldest output, not otherwise', () => {
    const dir = mkdtempSync(join(tmpdir(), 'copernica-stale-'));
    try {
      const at = (path: string, seconds: number) => {
        mkdirSync(join(dir, path, '..'), { recursive: true });
        if (!existsSync(join(dir, path))) writeFileSync(join(dir, path), '');
        utimesSync(join(dir, path), seconds, seconds);
      };
      for (const input of ['src/index.ts', 'src/core/transport.ts', 'tsup.config.ts', 'package.json', 'tsconfig.json']) at(input, 1_000);
      for (const dirPath of ['src/core', 'src']) utimesSync(join(dir, dirPath), 1_000, 1_000);
      expect(staleReason(dir)).toBe('dist/index.js is missing');
      for (const file of builtFiles) at(`dist/${file}`, 2_000);
      expect(staleReason(dir)).toBeNull();
      at('src/core/transport.ts', 3_000); // an edit after the build
      expect(staleReason(dir)).toBe('src changed since the last build');
      for (const file of builtFiles) at(`dist/${file}`, 4_000);
      expect(staleReason(dir)).toBeNull();
      at('package.json', 5_000);
      expect(staleReason(dir)).toBe('package.json changed since the last build');
      for (const file of builtFiles) at(`dist/${file}`, 6_000);
      rmSync(join(dir, 'src', 'core', 'transport.ts')); // a deleted source shows as a newer folder
      expect(staleReason(dir)).toBe('src changed since the last build');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
