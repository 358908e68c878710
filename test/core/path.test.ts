import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/index.js';
import { checkRawPath, param, path, toDate, toId } from '../../src/core/path.js';
import { encodeQuery } from '../../src/core/query.js';
import { redact } from '../../src/core/redact.js';

describe('param.id', () => {
  it('accepts positive integers as numbers or digit strings', () => {
    expect(path`/profile/${param.id(12, 'profileId')}`).toBe('/profile/12');
    expect(path`/profile/${param.id('0012', 'profileId')}`).toBe('/profile/12');
    expect(toId(Number.MAX_SAFE_INTEGER, 'x')).toBe(Number.MAX_SAFE_INTEGER);
  });
  for (const bad of [
    0,
    -1,
    1.5,
    NaN,
    Infinity,
    2 ** 53,
    '',
    ' 1',
    '1a',
    '../1',
    '1/2',
    '%2F',
    '12345678901234567',
    null,
    undefined,
    {},
    [],
  ]) {
    it(`refuses ${JSON.stringify(bad) ?? String(bad)}`, () => {
      expect(() => param.id(bad as never, 'profileId')).toThrow(ValidationError);
      expect(() => param.id(bad as never, 'profileId')).toThrow(/^profileId /);
    });
  }
});

describe('param.idOrName', () => {
  it('encodes names', () => {
    expect(path`/database/${param.idOrName('Nieuwsbrief & Co', 'databaseId')}/fields`).toBe('/database/Nieuwsbrief%20%26%20Co/fields');
    expect(path`/database/${param.idOrName('émoji 🎉', 'databaseId')}`).toBe('/database/%C3%A9moji%20%F0%9F%8E%89');
    expect(path`/database/${param.idOrName('50%2F', 'databaseId')}`).toBe('/database/50%252F');
    expect(path`/database/${param.idOrName('7', 'databaseId')}`).toBe('/database/7');
  });
  for (const bad of ['', '..', 'a/b', 'a?b', 'a#b', 'a\\b', ' lead', 'trail ', 'a\u0000b', 'a\nb', 'x'.repeat(256), '\ud800', 0, -3]) {
    it(`refuses ${JSON.stringify(bad)}`, () => {
      expect(() => param.idOrName(bad as never, 'databaseId')).toThrow(ValidationError);
    });
  }
});

describe('other params', () => {
  it('email, tags, dates, filenames', () => {
    expect(path`/email/${param.email('a+b@example.com', 'email')}/events`).toBe('/email/a%2Bb%40example.com/events');
    expect(() => param.email('not-an-email', 'email')).toThrow(ValidationError);
    expect(() => param.email('a@b/../c', 'email')).toThrow(ValidationError);
    expect(path`/tags/${param.tags(['a', 'b c'], 'tags')}/events`).toBe('/tags/a;b%20c/events');
    expect(() => param.tags([], 'tags')).toThrow(ValidationError);
    expect(() => param.tags(['a;b'], 'tags')).toThrow(/;/);
    expect(toDate('2024-02-29', 'd')).toBe('2024-02-29');
    expect(toDate(new Date(Date.UTC(2024, 0, 5, 23)), 'd')).toBe('2024-01-05');
    expect(() => toDate('2023-02-29', 'd')).toThrow(ValidationError);
    expect(() => toDate('2023-1-1', 'd')).toThrow(ValidationError);
    expect(path`/logfiles/${param.filename('cdm-click.2017-03-08.log', 'name')}`).toBe('/logfiles/cdm-click.2017-03-08.log');
    expect(() => param.filename('../etc/passwd', 'name')).toThrow(ValidationError);
  });

  it('path`` takes only segments made by param', () => {
    expect(() => path`/profile/${'12' as never}`).toThrow(TypeError);
  });

  it('checks raw paths', () => {
    expect(checkRawPath('/database/1/profiles')).toBe('/database/1/profiles');
    expect(() => checkRawPath('/a/./b')).toThrow(ValidationError);
    // issue 11: the URL parser reads `\` as `/` and resolves the dots (test/hostile/paths.test.ts sends them).
    for (const bad of ['/..\\..\\admin\\users\\1', '/%2E%2e/admin', '/.%2e/x', '/a\tb', '/é', '/a{b}']) {
      expect(() => checkRawPath(bad), bad).toThrow(ValidationError);
    }
  });

  it("refuses '.' and dot segments in any spelling as names (issue 11: databases.fields.list('.'))", () => {
    for (const bad of ['.', '..', '%2e', '%2E%2e', '.%2e', '．．']) {
      expect(() => param.idOrName(bad, 'databaseId'), bad).toThrow(ValidationError);
      expect(() => param.tags([bad], 'tags'), bad).toThrow(ValidationError);
    }
    expect(path`/tags/${param.tags(['a.b', '.x'], 'tags')}/events`).toBe('/tags/a.b;.x/events');
  });
});

describe('query encoding', () => {
  it('repeats array keys with [] and skips undefined and null', () => {
    expect(encodeQuery({ fields: ['a==1', 'b=~x%'], 'fields[]': ['c>1'], x: undefined, y: null, t: true, n: 0 }).toString()).toBe(
      'fields%5B%5D=a%3D%3D1&fields%5B%5D=b%3D%7Ex%25&fields%5B%5D=c%3E1&t=true&n=0',
    );
    expect(() => encodeQuery({ n: NaN })).toThrow(ValidationError);
  });
});

describe('redact', () => {
  it('redacts token, secret and code parameters and known values', () => {
    expect(redact('https://x/v1/token?client_id=a&client_secret=s3cr3t&redirect_uri=r&code=c0de')).toBe(
      'https://x/v1/token?client_id=a&client_secret=***&redirect_uri=r&code=***',
    );
    expect(redact('token abcd1234 in text', ['abcd1234'])).toBe('token *** in text');
    expect(redact('encoded a%2Bb%3D', ['a+b='])).toBe('encoded ***');
  });

  it('redacts JSON-escaped and lower-case percent-encoded spellings, and short secrets standing alone (issue 11)', () => {
    expect(redact('Invalid access token abcDEF\\/ghi+jkl=', ['abcDEF/ghi+jkl='])).toBe('Invalid access token ***');
    expect(redact('t=abcDEF%2fghi%2bjkl%3d', ['abcDEF/ghi+jkl='])).toBe('t=***');
    expect(redact('\\u0061\\u0062\\u0063DEF/ghi+jkl=', ['abcDEF/ghi+jkl='])).toBe('***');
    expect(redact('token abc, access_token=abc', ['abc'])).toBe('token ***, access_token=***');
    expect(redact('access_token and tokens', ['tok'])).toBe('access_token and tokens');
  });
});
