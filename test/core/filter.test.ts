import { describe, expect, it } from 'vitest';
import { filterExpressions, formatTimestamp, parseFilterExpression, parseRawFilter, where } from '../../src/core/filter.js';
import { isValidationError } from '../../src/core/errors.js';

function refused(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(isValidationError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected a ValidationError');
}

describe('where builders', () => {
  it('make one fields[] expression per operator', () => {
    expect(String(where.eq('country', 'nl'))).toBe('country==nl');
    expect(String(where.ne('country', 'nl'))).toBe('country!=nl');
    expect(String(where.lt('age', 16))).toBe('age<16');
    expect(String(where.gt('age', 16))).toBe('age>16');
    expect(String(where.lte('age', 16))).toBe('age<=16');
    expect(String(where.gte('age', 16.5))).toBe('age>=16.5');
    expect(String(where.like('firstname', 'M%'))).toBe('firstname=~M%');
    expect(String(where.notLike('firstname', 'M_'))).toBe('firstname!~M_');
    expect(String(where.idAfter(120))).toBe('id>120');
    expect(where.eq('email', '')).toMatchObject({ field: 'email', operator: '==', value: '', expression: 'email==' });
  });

  it('keeps operator characters inside values (the server splits at the earliest operator)', () => {
    expect(String(where.eq('note', 'a==b'))).toBe('note==a==b');
    expect(parseFilterExpression('note==a==b')).toEqual({ field: 'note', operator: '==', value: 'a==b' });
  });

  it('formats a Date as YYYY-MM-DD hh:mm:ss in Europe/Amsterdam time', () => {
    expect(String(where.gt('modified', new Date('2024-01-15T12:00:00Z')))).toBe('modified>2024-01-15 13:00:00');
    expect(formatTimestamp(new Date('2024-07-01T22:30:05Z'))).toBe('2024-07-02 00:30:05');
    expect(refused(() => where.lt('modified', new Date('nope')))).toMatch(/valid date/);
  });

  it('refuses field names the server would misread', () => {
    expect(refused(() => where.eq('', 'x'))).toMatch(/empty/);
    expect(refused(() => where.eq(' country', 'x'))).toMatch(/white space/);
    expect(refused(() => where.eq('country ', 'x'))).toMatch(/white space/);
    expect(refused(() => where.eq('a=b', 'x'))).toMatch(/operator character/);
    expect(refused(() => where.eq('a<b', 'x'))).toMatch(/operator character/);
    expect(refused(() => where.eq('a~', 'x'))).toMatch(/operator character/);
    expect(refused(() => where.eq('a\nb', 'x'))).toMatch(/control/);
    expect(refused(() => where.eq(7 as unknown as string, 'x'))).toMatch(/string/);
  });

  it('refuses values the server would trim or read as another operator', () => {
    expect(refused(() => where.eq('country', ' nl'))).toMatch(/white space/);
    expect(refused(() => where.eq('country', 'nl '))).toMatch(/white space/);
    expect(refused(() => where.eq('country', 'n\u0000l'))).toMatch(/control/);
    expect(refused(() => where.lt('age', '=5'))).toMatch(/operator "<="/);
    expect(refused(() => where.lt('age', '>5'))).toMatch(/operator "<>"/);
    expect(refused(() => where.gt('age', '=5'))).toMatch(/operator ">="/);
    expect(refused(() => where.eq('age', Number.NaN))).toMatch(/finite/);
    expect(refused(() => where.eq('age', null as unknown as string))).toMatch(/string, a number or a Date/);
  });
});

describe('raw expressions', () => {
  it('are accepted when they have a known operator, mixed with builders', () => {
    expect(filterExpressions(['age>16', where.eq('country', 'nl'), 'name=~M%', 'a<>b', 'x!~y%'])).toEqual([
      'age>16',
      'country==nl',
      'name=~M%',
      'a<>b',
      'x!~y%',
    ]);
    expect(filterExpressions('age<=65')).toEqual(['age<=65']);
    expect(filterExpressions(undefined)).toEqual([]);
  });

  it('split at the earliest operator, two-character operators first', () => {
    expect(parseRawFilter('age<=16')).toMatchObject({ field: 'age', operator: '<=', value: '16' });
    expect(parseRawFilter('age<>16')).toMatchObject({ field: 'age', operator: '<>', value: '16' });
    expect(parseRawFilter('age<16')).toMatchObject({ field: 'age', operator: '<', value: '16' });
    expect(parseRawFilter('x=~a<b')).toMatchObject({ field: 'x', operator: '=~', value: 'a<b' });
  });

  it('are refused without an operator, with a hint for "=" and "~="', () => {
    expect(refused(() => filterExpressions('country=nl'))).toMatch(/no operator.*single "="/);
    expect(refused(() => filterExpressions('name~=m%'))).toMatch(/no operator.*"=~"/);
    expect(refused(() => filterExpressions('country'))).toMatch(/no operator/);
  });

  it('are refused when the server would misread the field or the value', () => {
    expect(refused(() => filterExpressions(['age>16', ' age>16']))).toMatch(/where\[1\].*white space/);
    expect(refused(() => filterExpressions('age > 16'))).toMatch(/white space/);
    expect(refused(() => filterExpressions('a=b==c'))).toMatch(/operator character/);
    expect(refused(() => filterExpressions('==x'))).toMatch(/empty/);
    expect(refused(() => filterExpressions('age>16\n'))).toMatch(/control/);
    expect(refused(() => filterExpressions([42 as unknown as string]))).toMatch(/where\.\*\(\) filter or a string/);
    expect(refused(() => filterExpressions([{ expression: 'id>1' } as unknown as string]))).toMatch(/where\.\*\(\) filter or a string/);
  });
});
