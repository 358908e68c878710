/**
 * The read-only contract: the same checks against the fake (always) and against the live
 * Copernica service (opt-in: set COPERNICA_ACCESS_TOKEN, and COPERNICA_BASE_URL for another host).
 * Nothing here writes. Without a token the output says plainly that the live contract was not run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Copernica, isInvalidTokenError, isNotFoundError } from '../../src/index.js';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';

const LIVE_TOKEN = process.env.COPERNICA_ACCESS_TOKEN;

interface Target {
  client: Copernica;
  baseUrl: string;
  /** For the raw-HTTP checks of live behaviours the SDK smooths over (`removed: false`, envelope spellings). */
  token: string;
}

type Envelope = { start: number; limit: number; count: number; total?: number; data: Record<string, any>[] };

/**
 * A raw GET below the API base (plain fetch, no SDK), for what the SDK hides from its caller.
 * The token goes only into the URL, which never reaches a message: a failure names the path.
 */
async function raw<T = any>(t: Target, path: string, query = ''): Promise<{ status: number; text: string; json: T }> {
  const sep = query ? `${query}&` : '';
  const res = await fetch(`${t.baseUrl}${path}?${sep}access_token=${encodeURIComponent(t.token)}`, { redirect: 'manual' });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (res.status !== 200) throw new Error(`GET ${path}?${query}: HTTP ${res.status}`);
  return { status: res.status, text, json: json as T };
}

const f = (...conds: string[]) => conds.map((c) => `fields[]=${encodeURIComponent(c)}`).join('&');
const idsOf = (e: Envelope) => e.data.map((x) => String(x.ID));

/**
 * spec/OBSERVED.md, "Recorded by a peer library's live-behaviour tests": the behaviours that can be
 * checked without writing (filters, paging parameters, `removed`, empty values by field type,
 * timestamps). Each check reads the first database that has profiles; an empty account skips them.
 */
function liveBehaviours(target: string, make: () => Target, requireData: boolean) {
  describe(`read-only live behaviours (spec/OBSERVED.md): ${target}`, () => {
    let db: { ID: number; fields: { name: string; type: string }[] } | undefined;
    let first: Envelope;
    const profiles = async (query: string) => (await raw<Envelope>(make(), `/database/${db!.ID}/profiles`, query)).json;

    beforeAll(async () => {
      const t = make();
      const dbs = await raw<Envelope>(t, '/databases', 'limit=100');
      for (const d of dbs.json.data) {
        const page = (await raw<Envelope>(t, `/database/${d.ID}/profiles`, 'limit=10&total=true')).json;
        if (page.count >= 2) {
          const fields = (await raw<Envelope>(t, `/database/${d.ID}/fields`, 'limit=100')).json.data.map((x) => ({
            name: String(x.name),
            type: String(x.type),
          }));
          db = { ID: Number(d.ID), fields };
          first = page;
          return;
        }
      }
    });

    it('finds a database with at least two profiles to read (the fake always has one)', () => {
      if (requireData) expect(db, 'a database with profiles').toBeDefined();
      else if (!db) console.log(`live behaviours: ${target} has no database with two profiles; the checks below had nothing to read`);
    });

    it('OBSERVED: live entities carry "removed": false (a JSON boolean) in lists and single GETs', async () => {
      if (!db) return;
      for (const p of first.data) expect(p.removed).toBe(false);
      const one = (await raw(make(), `/profile/${first.data[0]!.ID}`)).json;
      expect(one.removed).toBe(false);
    });

    it('OBSERVED: created and modified are YYYY-MM-DD hh:mm:ss, modified never before created', async () => {
      if (!db) return;
      for (const p of first.data) {
        expect(p.created).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
        expect(p.modified).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
        expect(p.modified >= p.created).toBe(true);
      }
    });

    it('OBSERVED: empty values by field type: date fields never read "", empty_date fields never 0000-00-00', async () => {
      if (!db) return;
      const byType = (types: string[]) => db!.fields.filter((x) => types.includes(x.type)).map((x) => x.name);
      for (const p of first.data) {
        for (const n of byType(['date'])) expect(p.fields[n], n).toMatch(/^\d{4}-\d\d-\d\d$/);
        for (const n of byType(['datetime'])) expect(p.fields[n], n).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
        for (const n of byType(['empty_date', 'empty_datetime'])) expect(p.fields[n], n).not.toMatch(/^0000-00-00/);
      }
    });

    it('OBSERVED: paging parameter names are case-sensitive; unknown parameters are ignored', async () => {
      if (!db) return;
      const e = await profiles('LIMIT=1&starT=2&TOTAL=&bogus=345');
      expect(e).toMatchObject({ start: 0, limit: 100 });
      expect(e.total).toBeTypeOf('number');
    });

    it('OBSERVED: total: TRue and trUE keep it, thisisfalse leaves it out', async () => {
      if (!db) return;
      expect((await profiles('limit=1&total=TRue')).total).toBeTypeOf('number');
      expect((await profiles('limit=1&total=trUE')).total).toBeTypeOf('number');
      expect(await profiles('limit=1&total=thisisfalse')).not.toHaveProperty('total');
    });

    it('OBSERVED: limit[]=… acts as limit=1', async () => {
      if (!db) return;
      expect(await profiles('limit[]=evaluate-to-one')).toMatchObject({ limit: 1, count: 1 });
    });

    it('OBSERVED: order=descendING sorts descending; order=descendin and order[]=desc keep ascending order', async () => {
      if (!db) return;
      const asc = idsOf(await profiles('limit=2'));
      expect(idsOf(await profiles('limit=2&order=descendin'))).toEqual(asc);
      expect(idsOf(await profiles('limit=2&order[]=desc'))).toEqual(asc);
      const desc = idsOf(await profiles('limit=2&order=descendING'));
      expect(Number(desc[0])).toBeGreaterThan(Number(desc[1]));
    });

    it('OBSERVED: negative start/limit return no items, echo the values and keep the full total (total after data)', async () => {
      if (!db) return;
      const all = (await profiles('limit=1')).total;
      expect((await raw(make(), `/database/${db.ID}/profiles`, 'start=-2')).text).toBe(
        `{"start":-2,"limit":100,"count":0,"data":[],"total":${all}}`,
      );
      expect((await raw(make(), `/database/${db.ID}/profiles`, 'limit=-2')).text).toBe(
        `{"start":0,"limit":-2,"count":0,"data":[],"total":${all}}`,
      );
    });

    it('OBSERVED: filters: FIELds[] and a space before the operator filter nothing; the whole condition is trimmed', async () => {
      if (!db) return;
      const id = String(first.data[0]!.ID);
      const all = (await profiles('limit=1')).total;
      expect((await profiles(`limit=1&FIELds[]=${encodeURIComponent(`id==${id}`)}`)).total).toBe(all);
      const text = db.fields.find((x) => x.type === 'text' && first.data[0]!.fields[x.name]);
      if (text) expect((await profiles(`limit=1&${f(`${text.name} ==x`)}`)).total).toBe(all);
      expect(idsOf(await profiles(f(` id==${id} `)))).toEqual([id]);
    });

    it('OBSERVED: filters: a space after the operator is part of a text value; field names and text values match case-insensitively', async () => {
      if (!db) return;
      const p = first.data.find((x) => db!.fields.some((d) => d.type === 'text' && /^[A-Za-z]+$/.test(x.fields[d.name] ?? '')));
      const field = p && db.fields.find((d) => d.type === 'text' && /^[A-Za-z]+$/.test(p.fields[d.name] ?? ''));
      if (!p || !field) {
        // The fake always has one: there, finding none is a failure, not a silent pass.
        if (requireData) expect.fail('no profile has a text field of letters only to match case-insensitively');
        return;
      }
      const v = String(p.fields[field.name]);
      const upper = (s: string) => s.toUpperCase();
      expect(idsOf(await profiles(f(`${upper(field.name)}==${upper(v)}`, `id==${p.ID}`)))).toEqual([String(p.ID)]);
      expect(idsOf(await profiles(f(`${field.name}== ${v}`, `id==${p.ID}`)))).toEqual([]);
    });

    it('OBSERVED: filters: an empty value is a real condition (text "" finds only "", integer "" finds only 0)', async () => {
      if (!db) return;
      const text = db.fields.find((x) => x.type === 'text');
      if (text) for (const p of (await profiles(`limit=20&${f(`${text.name}==`)}`)).data) expect(p.fields[text.name]).toBe('');
      const int = db.fields.find((x) => x.type === 'integer');
      if (int) for (const p of (await profiles(`limit=20&${f(`${int.name}==`)}`)).data) expect(p.fields[int.name]).toBe('0');
    });
  });
}

function contract(target: string, make: () => Target) {
  describe(`read-only contract: ${target}`, () => {
    it('identity: the account of the token', async () => {
      const me = await make().client.identity.get();
      expect(Number.isSafeInteger(me.ID)).toBe(true);
      expect(typeof me.name).toBe('string');
    });

    it('databases and what they own, typed', async () => {
      const { client } = make();
      const page = await client.databases.list({ limit: 10 });
      expect(page.count).toBe(page.data.length);
      expect(page.limit).toBeLessThanOrEqual(100);
      const db = page.data[0];
      if (!db) return; // an empty account has nothing more to read
      expect(await client.databases.get(db.ID)).toMatchObject({ ID: db.ID, name: db.name });
      const fields = await client.databases.fields.list(db.ID);
      for (const f of fields.data) expect(typeof f.type).toBe('string');
      await client.databases.interests.list(db.ID);
      await client.collections.list(db.ID);
      expect(['nothing', 'remove', 'update']).toContain((await client.databases.unsubscribe.get(db.ID)).behavior);
      const views = await client.views.list(db.ID, { limit: 5 });
      const view = views.data[0];
      if (view) {
        await client.rules.list(view.ID);
        const members = await client.profiles.listInView(view.ID, { limit: 5 });
        expect(members.data.length).toBeLessThanOrEqual(5);
      }
      const profiles = await client.profiles.list(db.ID, { limit: 5 });
      expect(profiles.data.length).toBeLessThanOrEqual(5);
      const p = profiles.data[0];
      if (p) {
        expect((await client.profiles.get(p.ID)).ID).toBe(p.ID);
        // The profile's own field map, by name (typeof null is 'object' too: compare the names).
        expect(Object.keys(await client.profiles.fields.get(p.ID)).sort()).toEqual(Object.keys(p.fields ?? {}).sort());
        expect(Array.isArray(await client.profiles.interests.names(p.ID))).toBe(true);
        const filtered = await client.profiles.list(db.ID, { where: `id==${p.ID}`, limit: 5 });
        expect(filtered.data.map((x) => x.ID)).toEqual([p.ID]);
      }
    });

    it('logfiles: the list of days', async () => {
      const days = await make().client.logfiles.dates();
      for (const d of days) expect(d).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    });

    it('a missing database is a NotFoundError, a wrong token an InvalidTokenError', async () => {
      const { client, baseUrl } = make();
      const missing = await client.databases.get(2_000_000_000).catch((e: unknown) => e);
      expect(isNotFoundError(missing)).toBe(true);
      const wrong = await new Copernica({ accessToken: 'not-a-real-token-0000000000000000', baseUrl, maxRetries: 0 }).identity
        .get()
        .catch((e: unknown) => e);
      expect(isInvalidTokenError(wrong)).toBe(true);
    });
  });
}

let fake: FakeCopernica;
beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 9, profiles: 30 });
});
afterAll(() => fake?.close());
const fakeTarget = (): Target => ({
  client: new Copernica({ accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl }),
  baseUrl: fake.apiUrl,
  token: fake.accounts[0]!.token,
});
contract('the fake server', fakeTarget);
liveBehaviours('the fake server', fakeTarget, true);

if (LIVE_TOKEN) {
  const baseUrl = process.env.COPERNICA_BASE_URL ?? 'https://api.copernica.com/v1';
  console.log(`live contract: running the read-only contract against ${baseUrl}`);
  const liveTarget = (): Target => ({ client: new Copernica({ accessToken: LIVE_TOKEN, baseUrl }), baseUrl, token: LIVE_TOKEN });
  contract(`live service (${baseUrl})`, liveTarget);
  liveBehaviours(`live service (${baseUrl})`, liveTarget, false);
} else {
  console.log(
    'live contract: NOT RUN (no COPERNICA_ACCESS_TOKEN); only the fake server was checked. Set COPERNICA_ACCESS_TOKEN to run the read-only contract against the live service.',
  );
}
