/**
 * spec/OBSERVED.md, "Recorded by a peer library's live-behaviour tests", subsection "Paging
 * parameters": one test per bullet, over real HTTP against the fake, on a database of four
 * profiles (as the peer's: `"total":4`) and a collection of four subprofiles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';
import { call, get } from './helpers.js';
import { created, ids } from './live-fixture.js';

let fake: FakeCopernica;
let db: number;
let coll: number;
let p: number[];
let s: number[];
const profiles = (query: string) => get(fake, `/database/${db}/profiles?${query}`);
const subprofiles = (query: string) => get(fake, `/collection/${coll}/subprofiles?${query}`);

beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 5, profiles: 0 });
  db = await created(await call(fake, 'POST', '/databases', { body: { name: 'paging' } }));
  await created(await call(fake, 'POST', `/database/${db}/fields`, { body: { name: 'LastName', type: 'text' } }));
  coll = await created(await call(fake, 'POST', `/database/${db}/collections`, { body: { name: 'things' } }));
  await created(await call(fake, 'POST', `/collection/${coll}/fields`, { body: { name: 'Name', type: 'text' } }));
  p = [];
  s = [];
  for (const name of ['Muit', 'Bakker', 'Visser', 'Aalders']) {
    const id = await created(await call(fake, 'POST', `/database/${db}/profiles`, { body: { fields: { LastName: name } } }));
    p.push(id);
    s.push(await created(await call(fake, 'POST', `/profile/${id}/subprofiles/${coll}`, { body: { Name: name } })));
  }
});
afterAll(() => fake.close());

describe('OBSERVED: paging parameters', () => {
  it('OBSERVED: names are case-sensitive (LIMIT=1, starT=2, TOTAL= are ignored) and unknown parameters (bogus=345, 2=4) are ignored', async () => {
    const r = await profiles('LIMIT=1&starT=2&TOTAL=&bogus=345&2=4');
    expect(r.json).toMatchObject({ start: 0, limit: 100, count: 4, total: 4 });
  });

  it('OBSERVED: total: TRue and trUE keep it, thisisfalse leaves it out; by the general rule true/yes (any case) and numbers with |n| >= 1 are true, other strings false, total[]= and no total true', async () => {
    const has = async (query: string) => 'total' in (await profiles(query)).json;
    for (const v of ['TRue', 'trUE', 'true', 'YES', '1', '-2', '1.5', '10'])
      expect(await has(`total=${encodeURIComponent(v)}`), v).toBe(true);
    for (const v of ['thisisfalse', 'false', '0', '0.5', '', ' true', 'no'])
      expect(await has(`total=${encodeURIComponent(v)}`), JSON.stringify(v)).toBe(false);
    expect(await has('total[]=whatever')).toBe(true);
    expect(await has('')).toBe(true);
  });

  it('OBSERVED: array-valued limit: limit[]=evaluate-to-one acts as limit=1 and the envelope reports "limit":1', async () => {
    const r = await profiles('limit[]=evaluate-to-one');
    expect(r.json).toEqual({ start: 0, limit: 1, count: 1, data: [expect.objectContaining({ ID: String(p[0]) })], total: 4 });
  });

  it('OBSERVED: order: only desc or descending, in any case, sorts descending; order=descendin and order[]=desc give ascending order without error', async () => {
    const asc = [...p];
    const desc = [...p].reverse();
    for (const v of ['desc', 'DESC', 'descending', 'descendING']) expect(ids(await profiles(`order=${v}`)), v).toEqual(desc);
    for (const v of ['order=descendin', 'order[]=desc', 'order=asc', 'order=ASCENDING', 'order=nosuchfield'])
      expect(ids(await profiles(v)), v).toEqual(asc);
    // The pages describe the sort key under `order`: honoured when it names a field and orderby is absent.
    expect(ids(await profiles('order=LastName'))).toEqual([p[3], p[1], p[0], p[2]]);
  });

  it('OBSERVED (noted): orderby/order names are case-sensitive, their values are not; an unknown orderby keeps ID order; only one field', async () => {
    const byName = [p[3], p[1], p[0], p[2]]; // Aalders, Bakker, Muit, Visser
    expect(ids(await profiles('orderby=lastname'))).toEqual(byName);
    expect(ids(await profiles('orderby=LASTNAME&order=DESC'))).toEqual([...byName].reverse());
    expect(ids(await profiles('ORDERBY=lastname'))).toEqual(p);
    expect(ids(await profiles('orderby=lastname&ORDER=desc'))).toEqual(byName);
    expect(ids(await profiles('orderby=nosuchfield'))).toEqual(p);
    expect(ids(await profiles('orderby=ID&order=desc'))).toEqual([...p].reverse());
  });

  it('OBSERVED: negative values return no items and echo them back, with the full total', async () => {
    expect((await profiles('start=-2')).text).toBe('{"start":-2,"limit":100,"count":0,"data":[],"total":4}');
    expect((await profiles('limit=-2')).text).toBe('{"start":0,"limit":-2,"count":0,"data":[],"total":4}');
  });

  it('OBSERVED: without total: fields[]=LastName== Muit&limit=1&total=thisisfalse is exactly {"start":0,"limit":1,"count":0,"data":[]}', async () => {
    const r = await profiles(`fields[]=${encodeURIComponent('LastName== Muit')}&limit=1&total=thisisfalse`);
    expect(r.text).toBe('{"start":0,"limit":1,"count":0,"data":[]}');
  });

  it('OBSERVED: collection/{cid}/subprofiles shows the same behaviour for parameter case, total, limit[] and order', async () => {
    expect((await subprofiles('LIMIT=1&starT=2&TOTAL=')).json).toMatchObject({ start: 0, limit: 100, count: 4, total: 4 });
    expect('total' in (await subprofiles('total=trUE')).json).toBe(true);
    expect('total' in (await subprofiles('total=thisisfalse')).json).toBe(false);
    expect((await subprofiles('limit[]=evaluate-to-one')).json).toMatchObject({ limit: 1, count: 1 });
    expect(ids(await subprofiles('order=descendING'))).toEqual([...s].reverse());
    expect(ids(await subprofiles('order[]=desc'))).toEqual(s);
  });
});
