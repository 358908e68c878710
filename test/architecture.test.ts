/**
 * Import-graph rules: importing `copernica-rest` loads neither the fake server nor the CLI, and the
 * fake never imports the client (a mistake in one must not hide in the other). Rooms: the core
 * (src/core) knows HTTP, errors, paging and validation; it imports nothing from the resources and
 * names no Copernica entity in its code.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../src/index.js';
import { endpointOf } from '../src/core/schema.js';

const root = resolve(import.meta.dirname, '..');
const src = join(root, 'src');

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [
    ...text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm),
  ].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
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

  it('the core imports nothing from the resources, the client, the OAuth helper, the fake or the CLI', () => {
    const offenders: string[] = [];
    for (const file of walk(join(src, 'core'))) {
      for (const dep of importsOf(file)) {
        const rel = relative(src, dep);
        if (!rel.startsWith('core/') && rel !== 'version.ts') offenders.push(`${relative(src, file)} -> ${rel}`);
      }
    }
    expect(walk(join(src, 'core')).length).toBeGreaterThan(5);
    expect(offenders).toEqual([]);
  });

  it('the core names no Copernica entity in its code (identifiers, strings, templates and regular expressions; comments may)', () => {
    const offenders = walk(join(src, 'core')).flatMap((file) =>
      entityWords(readFileSync(file, 'utf8')).map((w) => `${relative(src, file)}: ${w}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the entity check finds entity words where they hide (a test that can fail)', () => {
    expect(entityWords('const recordModel = 1; // profile, in a comment, is allowed')).toEqual([]);
    expect(entityWords('function subprofileIds() {}')).toEqual(['subprofileIds']);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a template literal, read as code
    expect(entityWords('const p = `/database/${id}/fields`;')).toEqual(['/database/']);
    expect(entityWords("const named = new Set(['view', 'miniview']);")).toEqual(['view', 'miniview']);
    expect(entityWords('const ID_OF_COLLECTION = 1;')).toEqual(['ID_OF_COLLECTION']);
    expect(entityWords('const re = /logfiles\\/x/;')).toEqual(['/logfiles\\/x/']);
  });

  it("the core's endpoint naming (degraded-property warnings) gives every documented endpoint its own template, without a list of resource words", () => {
    const endpoints = JSON.parse(readFileSync(join(root, 'spec', 'endpoints.json'), 'utf8')) as { method: string; path: string }[];
    expect(endpoints.length).toBeGreaterThan(50);
    for (const e of endpoints) {
      const template = `${e.method} ${e.path.replace(/\{[^}]+\}/g, '{id}')}`;
      // Parameters filled with what hides best: names of lower-case letters, then IDs.
      for (const fill of ['customers', '12']) {
        const url = `${e.method} https://api.copernica.com/v1${e.path.replace(/\{[^}]+\}/g, fill)}?access_token=***`;
        expect(endpointOf(url), url).toBe(template);
      }
    }
  });

  it('src/core/README.md gives every core module its row (a new room is written down)', () => {
    const readme = readFileSync(join(src, 'core', 'README.md'), 'utf8');
    const rows = new Set([...readme.matchAll(/^\| ([\w-]+\.ts) +\|/gm)].map((m) => m[1]));
    const modules = readdirSync(join(src, 'core')).filter((f) => f.endsWith('.ts'));
    expect(modules.filter((m) => !rows.has(m))).toEqual([]);
    expect([...rows].filter((r) => !modules.includes(r!))).toEqual([]);
  });

  it('VERSION matches package.json', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});

/**
 * The Copernica entities the core must not name: singular and plural, case-insensitive, as whole
 * words of an identifier (camelCase and snake_case split) or of a string, template or regular
 * expression. Generic words that other layers use too (field, message, event, record, condition,
 * template, e-mail, tag) are the core's own vocabulary (filters compare fields; errors carry messages).
 */
const ENTITY =
  /^(?:(?:sub)?profile|database|collection|(?:mini)?view|(?:mini)?rule|interest|logfile|campaign|emailing|emailingdocument|datarequest|selection)s?$/i;

function entityWords(text: string): string[] {
  const source = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    let t: string | undefined;
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) t = node.text;
    else if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) t = node.text;
    else if (ts.isRegularExpressionLiteral(node)) t = node.text;
    if (
      t
        ?.replace(/([a-z])([A-Z])/g, '$1 $2')
        .split(/[^A-Za-z]+/)
        .some((w) => ENTITY.test(w))
    )
      found.push(t);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}
