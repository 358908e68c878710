/**
 * Hostile replies that try to set a prototype (issue 11, "Replies cannot … poison objects"). A
 * loopback proxy in front of the fake server rewrites every JSON reply: each object, at every depth,
 * gets `"__proto__": {"isAdmin": true, …}`, `"constructor"` and `"prototype"` keys. Every typed read
 * of the SDK goes through it, in loose mode (unknown keys pass through) and in strict mode (they are
 * refused). The rule checked (core/schema.ts, UNSAFE_KEY): no returned object has another prototype
 * than Object.prototype or Array.prototype, `__proto__` is dropped, `constructor` and `prototype`
 * are kept as plain own data, and Object.prototype is never touched. Prints its counts at the end.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Copernica } from '../../src/client.js';
import { isInvalidResponseError } from '../../src/core/errors.js';
import { recordModel } from '../../src/resources/records.js';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';

const POISON = '"__proto__":{"isAdmin":true,"polluted":"yes"},"constructor":"plain-constructor","prototype":"plain-prototype"';

/** JSON text of `v` with the poison keys written first into every object. */
function poisoned(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(poisoned).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${poisoned(x)}`);
    return `{${[POISON, ...entries].join(',')}}`;
  }
  return JSON.stringify(v);
}

const counts = { cases: 0, objects: 0, replies: 0 };

/** Walks a result: every object is a plain object or array whose prototype nobody set. */
function expectClean(value: unknown, seen = new Set<unknown>()): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  counts.objects++;
  const proto = Object.getPrototypeOf(value);
  expect(proto === Object.prototype || proto === Array.prototype).toBe(true);
  expect((value as { isAdmin?: unknown }).isAdmin).toBeUndefined();
  expect(Object.hasOwn(value, '__proto__')).toBe(false);
  for (const key of Object.keys(value)) expectClean((value as Record<string, unknown>)[key], seen);
}

function expectPrototypeUntouched(): void {
  const probe: Record<string, unknown> = {};
  expect(probe.isAdmin).toBeUndefined();
  expect(probe.polluted).toBeUndefined();
  expect(Object.prototype.toString.call([])).toBe('[object Array]');
}

let fake: FakeCopernica;
let proxy: Server;
let proxyUrl: string;
let ids: { db: number; col: number; view: number; profile: number; subprofile: number | undefined };

beforeAll(async () => {
  nock.enableNetConnect();
  fake = await createFakeCopernica({ seed: 11, profiles: 40 });
  const target = new URL(fake.apiUrl);
  proxy = createServer((req, res) => {
    void (async () => {
      const reply = await fetch(`${target.origin}${req.url ?? '/'}`, { method: req.method ?? 'GET' });
      const text = await reply.text();
      const json = (reply.headers.get('content-type') ?? '').includes('json') && text.trim() !== '';
      if (json) counts.replies++;
      res.writeHead(reply.status, { 'content-type': reply.headers.get('content-type') ?? 'text/plain' });
      res.end(json ? poisoned(JSON.parse(text)) : text);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}${target.pathname}`;
  const direct = new Copernica({ accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl });
  const db = (await direct.databases.list()).data.find((d) => (d.collections?.length ?? 0) > 0) ?? (await direct.databases.list()).data[0]!;
  const col = (await direct.collections.list(db.ID)).data[0]!;
  const view = (await direct.views.list(db.ID)).data[0];
  const profile = (await direct.profiles.list(db.ID, { limit: 1 })).data[0]!;
  const sub = (await direct.subprofiles.list(col.ID, { limit: 1 })).data[0];
  ids = { db: db.ID, col: col.ID, view: view?.ID ?? 0, profile: profile.ID, subprofile: sub?.ID };
});

afterAll(async () => {
  await new Promise<void>((resolve) => proxy?.close(() => resolve()));
  await fake?.close();
  console.log(`hostile records: ${counts.cases} cases, ${counts.replies} poisoned replies, ${counts.objects} returned objects checked`);
});

/** Every typed read (single objects, pages, whole iterations) through the poisoning proxy. */
function reads(c: Copernica): [string, () => PromiseLike<unknown>][] {
  const list: [string, () => PromiseLike<unknown>][] = [
    ['identity.get', () => c.identity.get()],
    ['databases.list', () => c.databases.list()],
    ['databases.list (iterated)', () => c.databases.list().toArray({ limit: 1000 })],
    ['databases.get', () => c.databases.get(ids.db)],
    ['databases.fields.list', () => c.databases.fields.list(ids.db)],
    ['databases.interests.list', () => c.databases.interests.list(ids.db)],
    ['collections.list', () => c.collections.list(ids.db)],
    ['databases.unsubscribe.get', () => c.databases.unsubscribe.get(ids.db)],
    ['collections.get', () => c.collections.get(ids.col)],
    ['collections.fields.list', () => c.collections.fields.list(ids.col)],
    ['collections.unsubscribe.get', () => c.collections.unsubscribe.get(ids.col)],
    ['views.list', () => c.views.list(ids.db)],
    ['profiles.list', () => c.profiles.list(ids.db)],
    ['profiles.list (key iteration)', () => c.profiles.list(ids.db, { limit: 7 }).toArray({ limit: 1000 })],
    ['profiles.list (offset iteration)', () => c.profiles.list(ids.db, { limit: 7, iterate: 'offset' }).toArray({ limit: 1000 })],
    ['profiles.get', () => c.profiles.get(ids.profile)],
    ['profiles.fields.get', () => c.profiles.fields.get(ids.profile)],
    ['profiles.interests.names', () => c.profiles.interests.names(ids.profile)],
    ['profiles.ids', () => c.profiles.ids(ids.db)],
    ['subprofiles.listInProfile', () => c.subprofiles.listInProfile(ids.profile, ids.col)],
    ['subprofiles.list', () => c.subprofiles.list(ids.col)],
    ['subprofiles.list (iterated)', () => c.subprofiles.list(ids.col, { limit: 5 }).toArray({ limit: 1000 })],
    ['miniviews.list', () => c.miniviews.list(ids.col)],
    ['logfiles.dates', () => c.logfiles.dates()],
  ];
  if (ids.view) {
    list.push(
      ['views.get', () => c.views.get(ids.view)],
      ['profiles.listInView', () => c.profiles.listInView(ids.view)],
      ['rules.list', () => c.rules.list(ids.view)],
    );
  }
  if (ids.subprofile !== undefined) {
    const s = ids.subprofile;
    list.push(['subprofiles.get', () => c.subprofiles.get(s)], ['subprofiles.fields.get', () => c.subprofiles.fields.get(s)]);
  }
  return list;
}

describe('a reply cannot set a prototype or pollute Object.prototype', () => {
  it('loose mode (the default): every typed read succeeds, clean; constructor/prototype kept as plain data', async () => {
    const c = new Copernica({ accessToken: fake.accounts[0]!.token, baseUrl: proxyUrl, maxRetries: 0 });
    const failures: string[] = [];
    for (const [name, read] of reads(c)) {
      counts.cases++;
      let result: unknown;
      try {
        result = await read();
      } catch (error) {
        failures.push(`${name}: ${(error as Error).message}`);
        continue;
      }
      expectClean(result);
      expectPrototypeUntouched();
    }
    expect(failures).toEqual([]);
    const profile = (await c.profiles.get(ids.profile)) as unknown as Record<string, unknown>;
    expect(profile.isAdmin).toBeUndefined();
    expect(Object.getPrototypeOf(profile)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(profile, 'constructor')?.value).toBe('plain-constructor');
    expect(Object.getOwnPropertyDescriptor(profile, 'prototype')?.value).toBe('plain-prototype');
    expect(Object.hasOwn(profile.fields as object, '__proto__')).toBe(false);
    expect((profile.fields as Record<string, unknown>).constructor).toBe('plain-constructor');
  });

  it('strict mode: the unknown keys are an InvalidResponseError, never a prototype', async () => {
    const c = new Copernica({ accessToken: fake.accounts[0]!.token, baseUrl: proxyUrl, maxRetries: 0, strict: true });
    for (const [name, read] of reads(c).slice(0, 6)) {
      counts.cases++;
      const outcome = await read().then(
        (v) => ({ ok: true as const, v }),
        (e: unknown) => ({ ok: false as const, e }),
      );
      if (outcome.ok) expectClean(outcome.v);
      else expect(isInvalidResponseError(outcome.e), `${name}: ${String(outcome.e)}`).toBe(true);
      expectPrototypeUntouched();
    }
  });
});

describe('the record converter, directly (the hot path of every page)', () => {
  const model = recordModel(['database'], { interests: true });
  const parse = (text: string) => model.convert!(JSON.parse(text), false) as Record<string, unknown>;

  it('a __proto__ key at the top never becomes the prototype (it did: profile.isAdmin === true)', () => {
    counts.cases++;
    const p = parse('{"ID":"1","database":"2","fields":{"email":"a@b"},"__proto__":{"isAdmin":true}}');
    expect(p.isAdmin).toBeUndefined();
    expect(Object.getPrototypeOf(p)).toBe(Object.prototype);
    expect(Object.hasOwn(p, '__proto__')).toBe(false);
    expectPrototypeUntouched();
  });

  it('in fields: __proto__ dropped, whatever its value; other values kept and converted', () => {
    for (const value of ['{"isAdmin":true}', '"text"', '5', 'null']) {
      counts.cases++;
      const p = parse(`{"ID":1,"database":2,"fields":{"__proto__":${value},"age":7,"constructor":"c"}}`);
      const fields = p.fields as Record<string, unknown>;
      expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
      expect(Object.keys(fields)).toEqual(['age', 'constructor']);
      expect(fields).toEqual({ age: '7', constructor: 'c' });
    }
  });

  it('strict mode refuses __proto__ like any unknown key', () => {
    counts.cases++;
    const r = model.convert!(JSON.parse('{"ID":1,"database":2,"__proto__":{"isAdmin":true}}'), true);
    expect(r).toMatchObject({ path: '__proto__', message: 'unknown property "__proto__"' });
  });
});
