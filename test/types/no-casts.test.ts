/**
 * "The README, examples and demo compile without casts" (issue 14): the code users copy from must
 * not need `as unknown as` or a non-null assertion on an ID (`created.id!`). They are type-checked
 * elsewhere (tsc includes examples/ and scripts/, test/readme.test.ts checks README snippets); this
 * test keeps the casts from coming back.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

function filesUnder(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (name === 'node_modules') return [];
    return statSync(full).isDirectory() ? filesUnder(full, ext) : ext.test(name) ? [full] : [];
  });
}

/** Lines that cast around the types: a double cast, or `!` after an ID (`.id!`, `id!`, `.ID!`). */
function castsIn(text: string): string[] {
  return text.split('\n').filter((line) => /\bas unknown as\b/.test(line) || /(?:\.|\b)(?:id|ID)!(?!=)/.test(line));
}

describe('code users copy compiles without casts', () => {
  const files = [join(root, 'README.md'), join(root, 'scripts/demo.ts'), ...filesUnder(join(root, 'examples'), /\.(ts|md)$/)];

  it('finds the files it checks', () => {
    expect(files.length).toBeGreaterThan(3);
  });

  it.each(files.map((f) => [relative(root, f), f]))('%s has no `as unknown as` and no `id!`', (_name, file) => {
    expect(castsIn(readFileSync(file, 'utf8'))).toEqual([]);
  });

  it('the check itself sees the casts the issue names', () => {
    expect(castsIn('first ??= row as unknown as { time: string };\nawait client.profiles.update(created.id!, {});')).toHaveLength(2);
    expect(
      castsIn('const { id } = await client.profiles.create(12, { fields });\nprocess.env.COPERNICA_CLIENT_ID!;\nif (a !== b) x;'),
    ).toEqual([]);
  });
});
