/**
 * spec/OBSERVED.md, "Recorded by a peer library's live-behaviour tests": the subsections
 * "`modified` and other timestamps" and "Removed entities and empty values", one test per bullet,
 * over real HTTP against the fake. The clock is frozen (only `Date` is faked) so a test can say
 * exactly which second a timestamp must hold; the fake writes Europe/Amsterdam local time.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';
import { call, get } from './helpers.js';
import { created, liveDb, profileIds, type LiveDb } from './live-fixture.js';

let fake: FakeCopernica;
let t: LiveDb;
/** 2026-06-01 10:00:00 UTC = 12:00:00 in Amsterdam (summer time). */
const T0 = Date.UTC(2026, 5, 1, 10, 0, 0);
const at = (s: number) => `2026-06-01 12:00:${String(s).padStart(2, '0')}`;
const tick = (s: number) => vi.setSystemTime(T0 + s * 1000);

beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 3, profiles: 0 });
});
afterAll(() => fake.close());
beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  tick(0);
  t = await liveDb(fake);
  tick(10);
});
afterEach(() => {
  vi.useRealTimers();
});

const profile = async (id: number) => {
  const r = await get(fake, `/profile/${id}`);
  expect(r.status, r.text).toBe(200);
  return r.json as {
    ID: string;
    database: string;
    secret: string;
    created: string;
    modified: string;
    removed: false | string;
    fields: Record<string, string>;
    interests: string[];
  };
};
const put = async (path: string, body: unknown) => {
  const r = await call(fake, 'PUT', path, { body });
  expect(r.status, r.text).toBeLessThan(400);
  return r;
};
const sub = async (pid: number, fields: Record<string, unknown>) => {
  const coll = await created(await call(fake, 'POST', `/database/${t.db}/collections`, { body: { name: `c${pid}` } }));
  await created(await call(fake, 'POST', `/collection/${coll}/fields`, { body: { name: 'Note', type: 'text' } }));
  const sid = await created(await call(fake, 'POST', `/profile/${pid}/subprofiles/${coll}`, { body: fields }));
  return { coll, sid };
};
const subprofile = async (sid: number) =>
  (await get(fake, `/subprofile/${sid}`)).json as {
    modified: string;
    created: string;
    removed: false | string;
    secret: string;
    fields: Record<string, string>;
  };

describe('OBSERVED: `modified` and other timestamps', () => {
  it('OBSERVED: on creation, created and modified both hold the creation time (to the second), Amsterdam time', async () => {
    const p = await profile(t.p.A);
    expect(p.created).toBe(at(0));
    expect(p.modified).toBe(at(0));
    const { sid } = await sub(t.p.A, { Note: 'x' });
    const s = await subprofile(sid);
    expect([s.created, s.modified]).toEqual([at(10), at(10)]);
  });

  it('OBSERVED: PUT profile/{id} and profile/{id}/fields move modified when a stored value really changes', async () => {
    await put(`/profile/${t.p.A}`, { fields: { LastName: '' } });
    expect((await profile(t.p.A)).modified).toBe(at(10));
    tick(20);
    await put(`/profile/${t.p.A}/fields`, { LastName: 'Muit' });
    const p = await profile(t.p.A);
    expect(p.modified).toBe(at(20));
    expect(p.fields.LastName).toBe('Muit');
  });

  it('OBSERVED: modified does not move when a PUT changes nothing (equal value, equal after coercion, unknown fields only)', async () => {
    await put(`/profile/${t.p.B}`, { fields: { ANumber: -1.9 } }); // 6 → -1: a change
    expect((await profile(t.p.B)).modified).toBe(at(10));
    tick(20);
    await put(`/profile/${t.p.B}`, { fields: { ANumber: -1.9 } }); // -1 again after coercion
    await put(`/profile/${t.p.B}`, { fields: { LastName: 'Muit' } }); // the same value
    await put(`/profile/${t.p.B}/fields`, { lastname: 'Muit', NoSuchField: 'x' }); // same value, other case; unknown field
    await put(`/profile/${t.p.B}`, { fields: { NoSuchField: 'x' } });
    const p = await profile(t.p.B);
    expect(p.fields.ANumber).toBe('-1');
    expect(p.modified).toBe(at(10));
  });

  it('OBSERVED: modified does not move for a non-object fields, {"fields":[]}, or a change of secret alone', async () => {
    await call(fake, 'PUT', `/profile/${t.p.C}`, { body: { fields: 'nothing' } });
    await call(fake, 'PUT', `/profile/${t.p.C}`, { body: { fields: [] } });
    await put(`/profile/${t.p.C}`, { secret: 'a-new-secret' });
    const p = await profile(t.p.C);
    expect(p.secret).toBe('a-new-secret');
    expect(p.modified).toBe(at(0));
  });

  it('OBSERVED: the same rules hold for a subprofile (PUT subprofile/{id}/fields)', async () => {
    const { sid } = await sub(t.p.A, { Note: 'x' });
    tick(20);
    await put(`/subprofile/${sid}/fields`, { Note: 'x', Unknown: 1 });
    expect((await subprofile(sid)).modified).toBe(at(10));
    tick(30);
    await put(`/subprofile/${sid}/fields`, { Note: 'y' });
    expect((await subprofile(sid)).modified).toBe(at(30));
  });

  it('OBSERVED: DELETE keeps created, modified and secret and sets removed; the subprofiles get the same removed time and keep their modified', async () => {
    const { sid } = await sub(t.p.D, { Note: 'x' });
    const before = await profile(t.p.D);
    const subBefore = await subprofile(sid);
    tick(40);
    expect((await call(fake, 'DELETE', `/profile/${t.p.D}`)).status).toBe(200);
    const after = await profile(t.p.D);
    expect(after).toMatchObject({ created: before.created, modified: before.modified, secret: before.secret, removed: at(40) });
    const s = await subprofile(sid);
    expect(s).toMatchObject({ created: subBefore.created, modified: subBefore.modified, secret: subBefore.secret, removed: at(40) });
  });

  it('OBSERVED: on a removed profile every PUT that names a known field moves modified, even unchanged; {"fields":[]} and a secret-only PUT do not', async () => {
    tick(20);
    await call(fake, 'DELETE', `/profile/${t.p.E}`);
    tick(30);
    await put(`/profile/${t.p.E}`, { fields: { ANumber: -1 } });
    expect((await profile(t.p.E)).modified).toBe(at(30));
    tick(31);
    await put(`/profile/${t.p.E}`, { fields: { ANumber: -1 } });
    let p = await profile(t.p.E);
    expect(p.modified).toBe(at(31));
    expect(p.fields.ANumber).toBe('');
    tick(40);
    await call(fake, 'PUT', `/profile/${t.p.E}`, { body: { fields: [] } });
    await put(`/profile/${t.p.E}`, { secret: 'changed' });
    await put(`/profile/${t.p.E}`, { fields: { Unknown: 1 } });
    p = await profile(t.p.E);
    expect(p.modified).toBe(at(31));
    expect(p.secret).toBe('changed');
  });

  it('OBSERVED: bulk PUT database/{id}/profiles moves modified only on profiles whose values change, never on removed ones', async () => {
    await call(fake, 'DELETE', `/profile/${t.p.D}`);
    tick(20);
    // LastName=="" selects C (and removed D, which lists leave out); ANumber 0 → 0 on C changes nothing.
    await put(`/database/${t.db}/profiles?fields[]=LastName==`, { ANumber: 0 });
    expect((await profile(t.p.C)).modified).toBe(at(0));
    expect((await profile(t.p.D)).modified).toBe(at(0));
    // LastName==Muit selects A (ANumber -1) and B (6): only A changes to 6.
    await put(`/database/${t.db}/profiles?fields[]=LastName==Muit`, { ANumber: 6 });
    expect((await profile(t.p.A)).modified).toBe(at(20));
    expect((await profile(t.p.B)).modified).toBe(at(0));
  });

  it('modified is exact for a sync: fields[]=modified>… after a no-op PUT lists nothing, after a change only the changed profile', async () => {
    const since = at(5);
    tick(20);
    await put(`/profile/${t.p.A}`, { fields: { LastName: 'Muit' } });
    expect(await profileIds(fake, t.db, `fields[]=${encodeURIComponent(`modified>${since}`)}`)).toEqual([]);
    await put(`/profile/${t.p.A}`, { fields: { LastName: 'Other' } });
    expect(await profileIds(fake, t.db, `fields[]=${encodeURIComponent(`modified>${since}`)}`)).toEqual([t.p.A]);
  });
});

describe('what a sync by key and modified needs (issue 15)', () => {
  it('a key lookup through fields[] finds one profile; upsert (create=true) creates once with the key, then updates in place; modified moves only on a real change', async () => {
    await created(await call(fake, 'POST', `/database/${t.db}/fields`, { body: { name: 'Key', type: 'text' } }));
    const upsert = (key: string, fields: Record<string, unknown>) =>
      call(fake, 'PUT', `/database/${t.db}/profiles?fields[]=${encodeURIComponent(`Key==${key}`)}&create=true`, { body: fields });
    const first = await upsert('K-1', { LastName: 'New' });
    expect(first.status).toBeLessThan(400);
    const id = Number(first.headers.get('x-created'));
    expect(await profileIds(fake, t.db, `fields[]=${encodeURIComponent('Key==K-1')}`)).toEqual([id]);
    expect((await profile(id)).fields).toMatchObject({ Key: 'K-1', LastName: 'New' });
    expect((await profile(id)).modified).toBe(at(10));
    tick(20);
    const same = await upsert('K-1', { LastName: 'New' });
    expect(same.headers.get('x-created')).toBeNull();
    expect((await profile(id)).modified).toBe(at(10));
    tick(30);
    await upsert('K-1', { LastName: 'Changed' });
    expect((await profile(id)).modified).toBe(at(30));
    expect(await profileIds(fake, t.db, `fields[]=${encodeURIComponent('Key==K-1')}`)).toEqual([id]);
    expect(await profileIds(fake, t.db, `fields[]=${encodeURIComponent(`modified>${at(20)}`)}&orderby=modified`)).toEqual([id]);
  });
});

describe('OBSERVED: removed entities and empty values', () => {
  it('OBSERVED: live entities carry "removed": false in single GETs and in lists; after DELETE it is a timestamp string', async () => {
    expect((await profile(t.p.A)).removed).toBe(false);
    const list = await get(fake, `/database/${t.db}/profiles`);
    for (const x of list.json.data) expect(x.removed).toBe(false);
    const { coll, sid } = await sub(t.p.A, { Note: 'x' });
    expect((await subprofile(sid)).removed).toBe(false);
    for (const x of (await get(fake, `/collection/${coll}/subprofiles`)).json.data) expect(x.removed).toBe(false);
    tick(40);
    await call(fake, 'DELETE', `/profile/${t.p.A}`);
    expect((await profile(t.p.A)).removed).toBe(at(40));
  });

  it('OBSERVED: a removed profile answers 200 with every fields key "" and ID, database, secret, created, modified and interests unchanged; subprofiles likewise', async () => {
    const iid = await created(await call(fake, 'POST', `/database/${t.db}/interests`, { body: { name: 'tennis', group: 'sport' } }));
    expect(iid).toBeGreaterThan(0);
    await put(`/profile/${t.p.B}/interests`, ['tennis']);
    const { sid } = await sub(t.p.B, { Note: 'x' });
    const before = await profile(t.p.B);
    const subBefore = await subprofile(sid);
    await call(fake, 'DELETE', `/profile/${t.p.B}`);
    const after = await profile(t.p.B);
    const { removed: _r, fields: _f, ...rest } = before;
    expect(after).toMatchObject(rest);
    expect(after.interests).toEqual(['tennis']);
    expect(after.fields).toEqual({ LastName: '', ANumber: '', ActionTime: '', AChoice: '' });
    const s = await subprofile(sid);
    expect(s.fields).toEqual({ Note: '' });
    expect(s.secret).toBe(subBefore.secret);
  });

  it('OBSERVED: removed entities are left out of data, count and total of profile and subprofile lists; subprofiles of other profiles stay', async () => {
    const coll = await created(await call(fake, 'POST', `/database/${t.db}/collections`, { body: { name: 'shared' } }));
    await created(await call(fake, 'POST', `/collection/${coll}/fields`, { body: { name: 'Note', type: 'text' } }));
    const s1 = await created(await call(fake, 'POST', `/profile/${t.p.A}/subprofiles/${coll}`, { body: { Note: 'a' } }));
    const s2 = await created(await call(fake, 'POST', `/profile/${t.p.B}/subprofiles/${coll}`, { body: { Note: 'b' } }));
    await call(fake, 'DELETE', `/profile/${t.p.A}`);
    const list = await get(fake, `/database/${t.db}/profiles`);
    expect(list.json).toMatchObject({ count: 4, total: 4 });
    expect(list.json.data.map((x: { ID: string }) => Number(x.ID))).not.toContain(t.p.A);
    const subs = await get(fake, `/collection/${coll}/subprofiles`);
    expect(subs.json).toMatchObject({ count: 1, total: 1 });
    expect(subs.json.data.map((x: { ID: string }) => Number(x.ID))).toEqual([s2]);
    expect(s1).not.toBe(s2);
  });

  it('OBSERVED: the empty value depends on the field type (text/e-mail/empty_date/empty_datetime "", date 0000-00-00, datetime 0000-00-00 00:00:00, integers their default on creation and 0 when emptied)', async () => {
    for (const f of [
      { name: 'Mail', type: 'email' },
      { name: 'D', type: 'date' },
      { name: 'DT', type: 'datetime' },
      { name: 'ED', type: 'empty_date' },
      { name: 'EDT', type: 'empty_datetime' },
    ])
      await created(await call(fake, 'POST', `/database/${t.db}/fields`, { body: f }));
    const id = await created(await call(fake, 'POST', `/database/${t.db}/profiles`, { body: { fields: { LastName: 'x' } } }));
    const fresh = (await profile(id)).fields;
    expect(fresh).toMatchObject({ Mail: '', D: '0000-00-00', DT: '0000-00-00 00:00:00', ED: '', EDT: '', ANumber: '-1' });
    await put(`/profile/${id}`, {
      fields: { D: '2020-01-02', DT: '2020-01-02 03:04:05', ED: '2020-01-02', EDT: '2020-01-02 03:04:05', ANumber: 5 },
    });
    await put(`/profile/${id}`, { fields: { D: '', DT: '', ED: '', EDT: '', ANumber: '', LastName: '' } });
    expect((await profile(id)).fields).toMatchObject({
      D: '0000-00-00',
      DT: '0000-00-00 00:00:00',
      ED: '',
      EDT: '',
      ANumber: '0',
      LastName: '',
    });
  });

  it('OBSERVED (noted): adding an integer or date field to a database that has profiles fills them with 0 or the zero date, not the default; later profiles get the default', async () => {
    for (const f of [
      { name: 'Later', type: 'integer', value: '7' },
      { name: 'LaterDay', type: 'date', value: '2020-02-02' },
      { name: 'LaterTime', type: 'datetime', value: '2020-02-02 02:02:02' },
    ])
      await created(await call(fake, 'POST', `/database/${t.db}/fields`, { body: f }));
    expect((await profile(t.p.A)).fields).toMatchObject({ Later: '0', LaterDay: '0000-00-00', LaterTime: '0000-00-00 00:00:00' });
    const id = await created(await call(fake, 'POST', `/database/${t.db}/profiles`, { body: { fields: {} } }));
    expect((await profile(id)).fields).toMatchObject({ Later: '7', LaterDay: '2020-02-02', LaterTime: '2020-02-02 02:02:02' });
    const seeded = await createFakeCopernica({ seed: 3, profiles: 5 });
    try {
      const r = await call(seeded, 'POST', '/database/1/fields', { body: { name: 'Later', type: 'integer', value: '7' } });
      expect(r.status).toBe(201);
      const first = (await get(seeded, '/database/1/profiles?limit=1')).json.data[0];
      expect(first.fields.Later).toBe('0'); // a seeded (generated, never stored) profile too
    } finally {
      await seeded.close();
    }
  });

  it('OBSERVED (noted): date input: 0000-00-00… is empty, a negative year gives the zero date even in empty_ types, junk/booleans/arrays/bare timestamps are empty, @timestamp, now and yesterday are parsed', async () => {
    await created(await call(fake, 'POST', `/database/${t.db}/fields`, { body: { name: 'ED', type: 'empty_datetime' } }));
    await created(await call(fake, 'POST', `/database/${t.db}/fields`, { body: { name: 'D', type: 'date' } }));
    const id = await created(await call(fake, 'POST', `/database/${t.db}/profiles`, { body: { fields: {} } }));
    const read = async (value: unknown) => {
      await put(`/profile/${id}`, { fields: { ED: value, D: value } });
      const f = (await profile(id)).fields;
      return [f.ED, f.D];
    };
    expect(await read('2020-04-27 14:15:34')).toEqual(['2020-04-27 14:15:34', '2020-04-27']);
    expect(await read('0000-00-00 12:00:00')).toEqual(['', '0000-00-00']);
    expect(await read('0000-00-01 00:00')).toEqual(['0000-00-00 00:00:00', '0000-00-00']);
    for (const junk of ['soon', true, ['2020-01-01'], '1588000000', 1588000000])
      expect(await read(junk), String(junk)).toEqual(['', '0000-00-00']);
    expect(await read('@1588000000')).toEqual(['2020-04-27 17:06:40', '2020-04-27']); // 15:06:40 UTC
    expect(await read('now')).toEqual([at(10), '2026-06-01']);
    expect(await read('yesterday')).toEqual(['2026-05-31 00:00:00', '2026-05-31']);
  });
});
