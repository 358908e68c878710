import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ProfileModel } from '../../src/resources/profiles.js';
import { SubprofileModel } from '../../src/resources/subprofiles.js';

describe('record models (hand-written for speed)', () => {
  const profile = { ID: '12', database: '3', secret: 'abc', created: '2024-01-01 10:00:00', modified: '0000-00-00 00:00:00', fields: { age: 33, email: 'a@b.nl', x: null }, interests: ['tennis', 7], extra: 'new' };

  it('converts a profile like the documented types say', () => {
    expect(ProfileModel.loose.parse(profile)).toEqual({
      ID: 12, database: 3, secret: 'abc', created: '2024-01-01 10:00:00', modified: null, removed: null,
      fields: { age: '33', email: 'a@b.nl', x: '' }, interests: ['tennis', '7'], extra: 'new',
    });
  });

  it('fills absent optional parts and reads a lower-case id', () => {
    expect(SubprofileModel.loose.parse({ id: 5, profile: '1', collection: 2 })).toEqual({
      ID: 5, profile: 1, collection: 2, secret: '', created: null, modified: null, removed: null, fields: {},
    });
  });

  it('refuses what does not fit, naming the property, without echoing values', () => {
    for (const [bad, path] of [
      [{ ...profile, ID: 'x1' }, 'ID'],
      [{ ...profile, database: undefined }, 'database'],
      [{ ...profile, secret: 5 }, 'secret'],
      [{ ...profile, created: 5 }, 'created'],
      [{ ...profile, fields: [] }, 'fields'],
      [{ ...profile, fields: { a: {} } }, 'fields'],
      [{ ...profile, interests: 'tennis' }, 'interests'],
    ] as const) {
      const r = ProfileModel.loose.safeParse(bad);
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.path).toEqual([path]);
    }
    expect(ProfileModel.loose.safeParse([profile]).success).toBe(false);
  });

  it('passes unknown properties through when loose and refuses them when strict', () => {
    const r = ProfileModel.strict.safeParse(profile);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('unknown property "extra"');
    const { extra: _extra, ...known } = profile;
    expect(ProfileModel.strict.parse(known).ID).toBe(12);
  });
});

describe('record models: reply keys that name Object.prototype members (issue 11)', () => {
  // The converter's twin: what a record must hold for any reply, written with defineProperty (which
  // never calls a setter): the known properties converted, every other own key as plain data except
  // `__proto__`, which is dropped (core/schema.ts, UNSAFE_KEY).
  const KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'isAdmin', 'email', 'x'];
  const text = (pairs: [string, string][]) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
  const poisonValue = fc.constantFrom<unknown>({ isAdmin: true }, 'text', 7, null, ['a']);

  it('never sets a prototype or pollutes Object.prototype; other keys are kept as plain data (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), poisonValue), { selector: ([k]) => k, maxLength: KEYS.length }),
        fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), fc.oneof(fc.string(), fc.integer())), { selector: ([k]) => k, maxLength: KEYS.length }),
        (top, fields) => {
          const fieldText = text(fields.map(([k, v]) => [k, String(v)]));
          const topText = `{"ID":1,"database":2,"fields":${fieldText}${top.map(([k, v]) => `,${JSON.stringify(k)}:${JSON.stringify(v)}`).join('')}}`;
          const out = ProfileModel.loose.parse(JSON.parse(topText)) as object as Record<string, unknown>;
          expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
          expect(Object.getPrototypeOf(out.fields)).toBe(Object.prototype);
          const twin: Record<string, unknown> = {};
          for (const [k, v] of top) if (k !== '__proto__') Object.defineProperty(twin, k, { value: v, enumerable: true, writable: true, configurable: true });
          const { ID: _id, database: _db, secret: _s, created: _c, modified: _m, removed: _r, fields: outFields, interests: _i, ...rest } = out;
          expect(Object.entries(rest)).toEqual(Object.entries(twin));
          expect(Object.entries(outFields as object)).toEqual(fields.filter(([k]) => k !== '__proto__').map(([k, v]) => [k, String(v)]));
          expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });
});
