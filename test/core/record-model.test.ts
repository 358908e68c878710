import { describe, expect, it } from 'vitest';
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
