/**
 * Issue 11: the fake's LIKE filter (`=~`, `!~`) compiled `%` to `[\s\S]*`, and the regex
 * backtracked exponentially: `email=~%a%a%a%a%a%a%a%a%a%b` blocked the fake (and the test runner
 * embedding it) for 13.9 s. Measured with the old `likeRegExp` over a 60-`a` value on the shared
 * build machine: 5 `%a` took 1.5 s, 6 took 17 s, and each more multiplies by about 8, so the 7 used
 * below block the old fake for minutes: the old code fails this file by vitest's 5 s test timeout
 * (reported when the blocked event loop returns); the linear matcher answers at once. No timing
 * assertion: only the answers are checked. The same holds for the `regexp` comparison of view rule
 * conditions (selection.ts), which compiled a client's pattern with `new RegExp`: `^(a+)+b$` over
 * 30 `a`s takes 2^30 steps.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';
import { linearRegExp } from '../../src/testing/linear-regex.js';
import { likeMatcher } from '../../src/testing/query.js';
import { call, get } from '../testing/helpers.js';

let fake: FakeCopernica;
let hostile: number;
let matching: number;
let reHostile: number;
let reMatching: number;
const counts = { requests: 0, propertyRuns: 0 };

beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 11, profiles: 20 });
  const make = async (body: Record<string, string>) => {
    const r = await call(fake, 'POST', '/database/1/profiles', { body });
    expect(r.status).toBe(201);
    return Number(r.headers.get('x-created'));
  };
  hostile = await make({ email: `${'a'.repeat(60)}@example.nl` });
  matching = await make({ email: `${'a'.repeat(20)}@example.b` });
  reHostile = await make({ lastname: 'a'.repeat(30) });
  reMatching = await make({ lastname: `${'a'.repeat(10)}b` });
});
afterAll(() => {
  console.log(
    `fake-like: ${counts.requests} pathological LIKE and regexp requests answered, ${counts.propertyRuns} property runs against the regex reference`,
  );
  return fake.close();
});

const PATTERN = `${'%a'.repeat(7)}%b`;

describe('LIKE filters run in linear time (issue 11)', () => {
  it('answers fields[]=email=~%a%a%a%a%a%a%a%b over a 60-a value with the right profiles', async () => {
    const r = await get(fake, `/database/1/profiles?fields[]=${encodeURIComponent(`email=~${PATTERN}`)}`);
    counts.requests++;
    expect(r.status).toBe(200);
    expect(r.json.data.map((p: { ID: string }) => Number(p.ID))).toEqual([matching]);
    expect(r.json.total).toBe(1);
  });

  it('answers the negated form (!~) with every other profile', async () => {
    const r = await get(fake, `/database/1/profiles?fields[]=${encodeURIComponent(`email!~${'%a'.repeat(6)}%b`)}&total=true`);
    counts.requests++;
    expect(r.json.total).toBe(23);
    expect(r.json.data.map((p: { ID: string }) => Number(p.ID))).toContain(hostile);
    expect(r.json.data.map((p: { ID: string }) => Number(p.ID))).not.toContain(matching);
  });

  it('answers a pattern of `_%` pairs (each `_%` a backtracking point in the old regex)', async () => {
    const r = await get(fake, `/database/1/profiles?fields[]=${encodeURIComponent(`email=~${'_%'.repeat(7)}b`)}`);
    counts.requests++;
    expect(r.json.data.map((p: { ID: string }) => Number(p.ID))).toEqual([matching]);
  });

  it('a view rule with a `regexp` condition of nested quantifiers (^(a+)+b$, ^(a*)*b$) over a 30-a value answers at once', async () => {
    const made = async (path: string, body: unknown) => {
      const r = await call(fake, 'POST', path, { body });
      expect(r.status, r.text).toBe(201);
      return Number(r.headers.get('x-created'));
    };
    const members = async (pattern: string) => {
      const view = await made('/database/1/views', { name: `re-${counts.requests}` });
      const rule = await made(`/view/${view}/rules`, { name: 'pathological' });
      await made(`/rule/${rule}/conditions`, { type: 'Field', field: 'lastname', comparison: 'regexp', value: pattern });
      const r = await get(fake, `/view/${view}/profileids`);
      counts.requests++;
      return (r.json as string[]).map(Number);
    };
    expect(await members('^(a+)+b$')).toEqual([reMatching]);
    expect(await members('^(a+)+$')).toEqual([reHostile]);
    expect(await members('^(a*)*b$')).toEqual([reMatching]);
  });

  it('the linear regex agrees with JavaScript RegExp on short patterns of the syntax it reads', () => {
    const atom = fc.constantFrom('a', 'b', '.', '[ab]', '[^a]', '(a|b)', '(ab)', 'a*', 'b+', 'a?', 'a{1,2}', '\\d', '1');
    const pat = fc
      .tuple(fc.boolean(), fc.array(atom, { minLength: 1, maxLength: 5 }), fc.constantFrom('', '*', '+', '?'), fc.boolean())
      .map(([bol, atoms, q, eol]) => `${bol ? '^' : ''}(${atoms.join('')})${q}${eol ? '$' : ''}`);
    const val = fc.array(fc.constantFrom('a', 'b', 'A', '1', '.'), { maxLength: 8 }).map((a) => a.join(''));
    fc.assert(
      fc.property(pat, val, (pattern, value) => {
        counts.propertyRuns++;
        expect(linearRegExp(pattern)?.(value)).toBe(new RegExp(pattern, 'i').test(value));
      }),
      { numRuns: 2000, seed: 12 },
    );
  });

  it('agrees with the regex definition of LIKE on short inputs (the fast path keeps its twin)', () => {
    const reference = (pattern: string, value: string): boolean => {
      let src = '';
      for (const ch of pattern) src += ch === '%' ? '[\\s\\S]*' : ch === '_' ? '[\\s\\S]' : ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      return new RegExp(`^${src}$`, 'iu').test(value);
    };
    const pat = fc.array(fc.constantFrom('a', 'b', 'A', '%', '_', '.', '*', '😀'), { maxLength: 8 }).map((a) => a.join(''));
    const val = fc.array(fc.constantFrom('a', 'b', 'B', '.', '*', '😀', '%'), { maxLength: 10 }).map((a) => a.join(''));
    fc.assert(
      fc.property(pat, val, (pattern, value) => {
        counts.propertyRuns++;
        expect(likeMatcher(pattern)(value)).toBe(reference(pattern, value));
      }),
      { numRuns: 2000, seed: 11 },
    );
  });
});
