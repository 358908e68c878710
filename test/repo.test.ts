/**
 * The repository stands on its own: no tracked file names an absolute path of a machine (the
 * checkout's own location or the roots our machines use), and the spec the code cites
 * lives in `spec/`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { specEndpoints } from './helpers/spec.js';

const root = resolve(import.meta.dirname, '..');

it('no file in the repository names an absolute path of a machine', () => {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && f !== 'package-lock.json' && existsSync(join(root, f)));
  // built from parts, so that this file does not name them itself
  // (not the checkout's parent: a clone in /tmp would flag every mention of /tmp/)
  const machinePaths = [`${root}/`, ...['work', 'root'].map((d) => `/${d}/`)];
  const hits: string[] = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const p of machinePaths) if (text.includes(p)) hits.push(`${file}: ${p}`);
  }
  expect(hits).toEqual([]);
});

it('the spec lives in the repository: spec/API.md, spec/OBSERVED.md and all 109 endpoints', () => {
  expect(existsSync(join(root, 'spec/API.md'))).toBe(true);
  expect(existsSync(join(root, 'spec/OBSERVED.md'))).toBe(true);
  expect(specEndpoints()).toHaveLength(109);
});
