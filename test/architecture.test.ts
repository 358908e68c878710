/**
 * Import-graph rules: importing `copernica-rest` loads neither the fake server nor the CLI, and the
 * fake never imports the client (a mistake in one must not hide in the other).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../src/index.js';

const root = resolve(import.meta.dirname, '..');
const src = join(root, 'src');

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm)].map(
    (m) => m[1] ?? m[2] ?? m[3] ?? '',
  );
  return specs.filter((s) => s.startsWith('.')).map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts')));
}

function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const dep of importsOf(file)) stack.push(dep);
  }
  return seen;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('architecture', () => {
  it('the package root does not load the fake server or the CLI', () => {
    const files = [...reachable(join(src, 'index.ts'))].map((f) => relative(src, f));
    expect(files.length).toBeGreaterThan(10);
    expect(files.filter((f) => f.startsWith('testing/') || f.startsWith('cli/'))).toEqual([]);
  });

  it('the fake server never imports the client, its resources, schemas or OAuth helper', () => {
    const offenders: string[] = [];
    for (const file of walk(join(src, 'testing'))) {
      for (const dep of importsOf(file)) {
        const rel = relative(src, dep);
        if (!rel.startsWith('testing/')) offenders.push(`${relative(src, file)} -> ${rel}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('VERSION matches package.json', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});
