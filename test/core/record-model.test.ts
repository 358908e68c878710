import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ProfileModel } from '../../src/resources/profiles.js';
import { SubprofileModel } from '../../src/resources/subprofiles.js';
import { degradedProperties, parseReply } from '../../src/core/schema.js';

describe('record models (hand-written for speed)', () => {
  const profile = {
    ID: '12',
    database: '3',
    secret: 'abc',
    created: '2024-01-01 10:00:00',
    modified: '0000-00-00 00:00:00',
    fields: { age: 33, email: 'a@b.nl', x: null },
    interests: ['tennis', 7],
    extra: 'new',
  };

  it('converts a profile like the documented types say', () => {
    expect(ProfileModel.loose.parse(profile)).toEqual({
      ID: 12,
      database: 3,
      secret: 'abc',
      created: '2024-01-01 10:00:00',
      modified: null,
      removed: null,
      fields: { age: '33', email: 'a@b.nl', x: '' },
      interests: ['tennis', '7'],
      extra: 'new',
    });
  });

  it('fills absent optional parts and reads a lower-case id', () => {
    expect(SubprofileModel.loose.parse({ id: 5, profile: '1', collection: 2 })).toEqual({
      ID: 5,
      profile: 1,
      collection: 2,
      secret: '',
      created: null,
      modified: null,
      removed: null,
      fields: {},
    });
  });

  it('strict refuses what does not fit, naming the property, without echoing values', () => {
    for (const [bad, path] of [
      [{ ...profile, ID: 'x1' }, 'ID'],
      [{ ...profile, database: undefined }, 'database'],
      [{ ...profile, secret: 5 }, 'secret'],
      [{ ...profile, created: 5 }, 'created'],
      [{ ...profile, fields: ['a'] }, 'fields'],
      [{ ...profile, fields: { a: {} } }, 'fields'],
      [{ ...profile, fields: { a: true } }, 'fields'],
      [{ ...profile, interests: 'tennis' }, 'interests'],
      [{ ...profile, interests: ['tennis', {}] }, 'interests'],
    ] as const) {
      const { extra: _extra, ...known } = bad as Record<string, unknown>;
      const r = ProfileModel.strict.safeParse(known);
      expect(r.success, path).toBe(false);
      expect(r.error?.issues[0]?.path).toEqual([path]);
      expect(JSON.stringify(r.error?.issues)).not.toContain('tennis');
    }
  });

  it('loose refuses only a record without a usable ID, or one that is not an object', () => {
    expect(ProfileModel.loose.safeParse({ ...profile, ID: 'x1' }).error?.issues[0]?.path).toEqual(['ID']);
    expect(ProfileModel.loose.safeParse({ ...profile, ID: undefined }).error?.issues[0]?.path).toEqual(['ID']);
    expect(ProfileModel.loose.safeParse([profile]).success).toBe(false);
    expect(ProfileModel.loose.safeParse('profile').success).toBe(false);
  });

  it('loose degrades each oddly typed property: it reads undefined, the raw value is kept, the rest is converted', () => {
    for (const [key, raw] of [
      ['database', 'x'],
      ['database', undefined],
      ['secret', 5],
      ['secret', { a: 1 }],
      ['created', 1488357733],
      ['modified', true],
      ['removed', ['2024-01-01']],
      ['fields', 'a=1'],
      ['fields', ['a']],
      ['fields', 7],
      ['interests', 'tennis'],
      ['interests', { tennis: true }],
      ['interests', ['tennis', { name: 'x' }]],
      ['interests', ['tennis', null]],
    ] as const) {
      const p = ProfileModel.loose.parse({ ...profile, [key]: raw }) as unknown as Record<string, unknown>;
      expect(p[key], key).toBeUndefined();
      expect(degradedProperties(p), key).toEqual({ [key]: raw });
      expect(Object.hasOwn(degradedProperties(p) ?? {}, key)).toBe(true);
      // Everything else as usual.
      expect(p.ID).toBe(12);
      expect(p.extra).toBe('new');
      if (key !== 'fields') expect(p.fields).toEqual({ age: '33', email: 'a@b.nl', x: '' });
      if (key !== 'secret') expect(p.secret).toBe('abc');
    }
    // Several at once, on a subprofile: one raw map.
    const s = SubprofileModel.loose.parse({
      ID: 5,
      profile: {},
      collection: '2',
      secret: false,
      created: 0,
      fields: { a: 'b' },
    }) as unknown as Record<string, unknown>;
    expect(s).toEqual({
      ID: 5,
      profile: undefined,
      collection: 2,
      secret: undefined,
      created: undefined,
      modified: null,
      removed: null,
      fields: { a: 'b' },
    });
    expect(degradedProperties(s)).toEqual({ profile: {}, secret: false, created: 0 });
  });

  it('a field value that is not a string: numbers become strings, null "", an object, array or boolean is left out of fields alone', () => {
    const p = ProfileModel.loose.parse({
      ...profile,
      fields: { age: 60, price: 1.5, none: null, tags: ['a'], address: { street: 'x' }, optin: true, email: 'a@b.nl' },
    });
    expect(p.fields).toEqual({ age: '60', price: '1.5', none: '', email: 'a@b.nl' });
    expect(degradedProperties(p.fields as object)).toEqual({ tags: ['a'], address: { street: 'x' }, optin: true });
    // The record itself is not degraded: its fields are there.
    expect(degradedProperties(p)).toBeUndefined();
    // A well-formed record is never marked degraded.
    const ok = ProfileModel.loose.parse(profile);
    expect(degradedProperties(ok)).toBeUndefined();
    expect(degradedProperties(ok.fields as object)).toBeUndefined();
  });

  it("PHP's empty array for fields reads as no field values, in both modes", () => {
    const { extra: _extra, ...known } = profile;
    for (const m of [ProfileModel.loose, ProfileModel.strict]) {
      const p = m.parse({ ...known, fields: [] });
      expect(p.fields).toEqual({});
      expect(degradedProperties(p)).toBeUndefined();
    }
  });

  it('parseReply warns once per logger, endpoint and property, naming types and never values', () => {
    const warnings: { message: string; meta: unknown }[] = [];
    const logger = { warn: (message: string, meta?: unknown) => void warnings.push({ message, meta }) };
    const ctx = { status: 200, request: 'GET https://api.copernica.com/v1/profile/12?access_token=tok', logger };
    const odd = {
      ...profile,
      secret: 123456,
      fields: { email: 'a@b.nl', 'pass word': { secret: 'hunter2' } },
      interests: ['tennis', { x: 'hunter2' }],
    };
    parseReply(ProfileModel, odd, false, ctx);
    parseReply(ProfileModel, odd, false, { ...ctx, request: 'GET https://api.copernica.com/v1/profile/13' });
    expect(warnings.map((w) => w.message)).toEqual([
      'copernica-rest: the reply to GET /profile/{id} had an unusable fields["pass word"] (expected a field value (a string), got an object); it reads undefined',
      'copernica-rest: the reply to GET /profile/{id} had an unusable secret (expected a string, got an integer); it reads undefined',
      'copernica-rest: the reply to GET /profile/{id} had an unusable interests.* (expected an interest name (a string), got an object); it reads undefined',
    ]);
    expect(warnings[1]?.meta).toEqual({ endpoint: 'GET /profile/{id}', property: 'secret', expected: 'a string', received: 'an integer' });
    expect(JSON.stringify(warnings)).not.toMatch(/hunter2|123456|a@b\.nl|tok/);
    // A hostile field name cannot break the log line.
    parseReply(ProfileModel, { ...profile, fields: { 'x\nERROR forged': {} } }, false, ctx);
    expect(warnings.at(-1)?.message).toContain('fields["x\\nERROR forged"]');
    expect(warnings.at(-1)?.message).not.toContain('\n');
  });

  it('strict parse of a degradable record is an InvalidResponseError naming the property and the type', () => {
    const { extra: _extra, ...known } = profile;
    expect(() => parseReply(ProfileModel, { ...known, created: 1488357733 }, true, { status: 200, request: 'GET x' })).toThrow(
      'reply.created: expected a timestamp string',
    );
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
        fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), fc.oneof(fc.string(), fc.integer())), {
          selector: ([k]) => k,
          maxLength: KEYS.length,
        }),
        (top, fields) => {
          const fieldText = text(fields.map(([k, v]) => [k, String(v)]));
          const topText = `{"ID":1,"database":2,"fields":${fieldText}${top.map(([k, v]) => `,${JSON.stringify(k)}:${JSON.stringify(v)}`).join('')}}`;
          const out = ProfileModel.loose.parse(JSON.parse(topText)) as object as Record<string, unknown>;
          expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
          expect(Object.getPrototypeOf(out.fields)).toBe(Object.prototype);
          const twin: Record<string, unknown> = {};
          for (const [k, v] of top)
            if (k !== '__proto__') Object.defineProperty(twin, k, { value: v, enumerable: true, writable: true, configurable: true });
          const {
            ID: _id,
            database: _db,
            secret: _s,
            created: _c,
            modified: _m,
            removed: _r,
            fields: outFields,
            interests: _i,
            ...rest
          } = out;
          expect(Object.entries(rest)).toEqual(Object.entries(twin));
          expect(Object.entries(outFields as object)).toEqual(fields.filter(([k]) => k !== '__proto__').map(([k, v]) => [k, String(v)]));
          expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });
});
