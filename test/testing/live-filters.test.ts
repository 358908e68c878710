/**
 * spec/OBSERVED.md, "Recorded by a peer library's live-behaviour tests", subsection "Filters
 * (`fields[]`)": one test per bullet, over real HTTP against the fake. Profiles (live-fixture.ts):
 * A Muit/ANumber -1, B Muit/6, C ""/0, D ""/-1, E Jansen/0.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';
import { call, get } from './helpers.js';
import { created, liveDb, profileIds, type LiveDb } from './live-fixture.js';

let fake: FakeCopernica;
let t: LiveDb;
let all: number[];
const q = (...conds: string[]) => conds.map((c) => `fields[]=${encodeURIComponent(c)}`).join('&');

beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 4, profiles: 0 });
  t = await liveDb(fake);
  all = [t.p.A, t.p.B, t.p.C, t.p.D, t.p.E];
});
afterAll(() => fake.close());

describe('OBSERVED: filters (fields[])', () => {
  it('OBSERVED: the parameter name is case-sensitive (FIELds[] filters nothing) and a bracket-less fields without an operator is ignored', async () => {
    expect(await profileIds(fake, t.db, `FIELds[]=${encodeURIComponent('LastName==Muit')}`)).toEqual(all);
    expect(await profileIds(fake, t.db, 'fields=')).toEqual(all);
    expect(await profileIds(fake, t.db, 'fields=nothing')).toEqual(all);
  });

  it('OBSERVED: the whole condition is trimmed (fields[]= LASTNAME==mUIT  works)', async () => {
    expect(await profileIds(fake, t.db, q(' LASTNAME==mUIT '))).toEqual([t.p.A, t.p.B]);
  });

  it('OBSERVED: a space before the operator makes the name an unknown field, so the condition is dropped and everything matches', async () => {
    expect(await profileIds(fake, t.db, q('LastName ==Muit'))).toEqual(all);
  });

  it('OBSERVED: a space after the operator is part of the value: it breaks a text match, but not an integer or date one', async () => {
    const r = await get(fake, `/database/${t.db}/profiles?${q('LastName== Muit')}`);
    expect(r.json).toMatchObject({ count: 0, total: 0, data: [] });
    expect(await profileIds(fake, t.db, q('ANumber== 6'))).toEqual([t.p.B]);
    expect(await profileIds(fake, t.db, q('ActionTime<= 2020-04-27 14:15:34', 'ActionTime>=2020-01-01'))).toEqual([t.p.A]);
  });

  it('OBSERVED: field names and text values match case-insensitively with ==; select fields compare case-sensitively (noted)', async () => {
    expect(await profileIds(fake, t.db, q('LASTNAME==mUIT'))).toEqual([t.p.A, t.p.B]);
    expect(await profileIds(fake, t.db, q('achoice==Red'))).toEqual([t.p.A]);
    expect(await profileIds(fake, t.db, q('AChoice==red'))).toEqual([]);
  });

  it('OBSERVED: an empty value is a real condition (LASTNAME== finds "", ANumber== finds 0 not the default -1, both together only the profiles matching both)', async () => {
    expect(await profileIds(fake, t.db, q('LASTNAME=='))).toEqual([t.p.C, t.p.D]);
    expect(await profileIds(fake, t.db, q('ANumber=='))).toEqual([t.p.C, t.p.E]);
    expect(await profileIds(fake, t.db, q('LASTNAME==', 'ANumber=='))).toEqual([t.p.C]);
  });

  it('OBSERVED: conditions are ANDed (two fields, and two on one field)', async () => {
    expect(await profileIds(fake, t.db, q('LastName==Muit', 'ANumber==6'))).toEqual([t.p.B]);
    expect(await profileIds(fake, t.db, q('ANumber>=0', 'ANumber<=5'))).toEqual([t.p.C, t.p.E]);
  });

  it('OBSERVED: total counts the filtered set (fields[]= LASTNAME==mUIT &fields[]=ANumber>=-1&limit=1 → count 1, total 2)', async () => {
    const r = await get(fake, `/database/${t.db}/profiles?${q(' LASTNAME==mUIT ', 'ANumber>=-1')}&limit=1`);
    expect(r.json).toMatchObject({ count: 1, total: 2 });
    expect(r.json.data.map((x: { ID: string }) => Number(x.ID))).toEqual([t.p.A]);
  });

  it('OBSERVED (noted): with a real field named modified, fields[]=modified>… filters on that field while orderby=modified still sorts on the timestamp', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2026, 0, 1));
    const other = await liveDb(fake);
    await created(await call(fake, 'POST', `/database/${other.db}/fields`, { body: { name: 'modified', type: 'text' } }));
    vi.setSystemTime(Date.UTC(2026, 0, 2));
    const r = await call(fake, 'PUT', `/profile/${other.p.C}`, { body: { fields: { modified: 'zzz' } } });
    vi.useRealTimers();
    expect(r.status).toBeLessThan(400);
    expect(await profileIds(fake, other.db, q('modified>yyy'))).toEqual([other.p.C]);
    // C was written a day later: its entity timestamp sorts it first descending, last ascending.
    expect((await profileIds(fake, other.db, 'orderby=modified&order=desc'))[0]).toBe(other.p.C);
    expect((await profileIds(fake, other.db, 'orderby=modified')).at(-1)).toBe(other.p.C);
  });
});

describe('the LIKE filter (=~, !~)', () => {
  it('matches % and _ case-insensitively, over the whole value', async () => {
    expect(await profileIds(fake, t.db, q('LastName=~m_IT'))).toEqual([t.p.A, t.p.B]);
    expect(await profileIds(fake, t.db, q('LastName=~%ns%'))).toEqual([t.p.E]);
    expect(await profileIds(fake, t.db, q('LastName=~ns'))).toEqual([]);
    expect(await profileIds(fake, t.db, q('LastName!~%u%'))).toEqual([t.p.C, t.p.D, t.p.E]);
  });
});
