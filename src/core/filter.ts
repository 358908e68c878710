/**
 * The typed `fields[]` filter of the profile and subprofile lists (spec/API.md §1.8).
 *
 * `where.eq('country', 'nl')` makes a {@link Filter}; a list takes one filter, a raw string, or an
 * array of both (conditions are ANDed). Everything is checked before a request is sent, because the
 * server misreads rather than refuses: it trims the whole expression, splits at the earliest
 * operator (two-character operators first), and ignores a condition on an unknown field, which
 * then matches every record.
 */
import { ValidationError } from './errors.js';
import { hasControlCharacters } from './input.js';

/** The operators of the `fields[]` filter. There is no single `=`. */
export type FilterOperator = '==' | '!=' | '<>' | '<' | '>' | '<=' | '>=' | '=~' | '!~';

/** A value a filter compares with. A Date becomes `YYYY-MM-DD hh:mm:ss` in Europe/Amsterdam time (Copernica's clock). */
export type FilterValue = string | number | Date;

const BRAND = Symbol('copernica-rest.filter');

/**
 * One checked filter condition, made by {@link where}. `String(filter)` is the wire expression.
 *
 * @typeParam N - The field name, as a literal type when `where.*()` was given one: a list typed
 * with a field map takes only filters on the map's fields (and the special names).
 */
export interface Filter<N extends string = string> {
  /** The field name, or one of the special names `id`, `code`, `modified`. */
  readonly field: N;
  /** The comparison operator, e.g. `==` or `=~`. */
  readonly operator: FilterOperator;
  /** The value as it is sent. */
  readonly value: string;
  /** The expression sent as one `fields[]` entry, e.g. `country==nl`. */
  readonly expression: string;
  /** Private brand: only {@link where} makes filters, and {@link isFilter} checks for it. */
  readonly [BRAND]: true;
  /** The same as {@link Filter.expression}. */
  toString(): string;
}

/**
 * A raw filter expression such as `'age>16'`. With field names `N` known (a list typed with a field
 * map), it must start with one of them followed by an operator: `'contry==nl'` does not compile.
 */
export type RawFilter<N extends string = string> = string extends N ? string : `${N}${FilterOperator}${string}`;

/**
 * What list methods take as `where`: a {@link Filter}, a raw expression such as `'age>16'`, or an
 * array of them (ANDed).
 *
 * @typeParam N - The field names a condition may compare. `string` (any name) unless the list is
 * typed with a field map `F`; then its names and the special names `id`, `code`, `modified`.
 */
export type FilterInput<N extends string = string> = Filter<N> | RawFilter<N> | readonly (Filter<N> | RawFilter<N>)[];

const TWO: readonly FilterOperator[] = ['==', '!=', '<>', '<=', '>=', '=~', '!~'];
const OPERATOR_CHARS = /[=!<>~]/;

function fail(message: string, arg = 'where'): never {
  throw new ValidationError(`Invalid ${arg}: ${message}`, [`${arg}: ${message}`]);
}

function checkName(name: unknown, arg: string): string {
  if (typeof name !== 'string') return fail(`a field name must be a string, got ${name === null ? 'null' : typeof name}`, arg);
  if (name.length === 0 || name.trim().length === 0) fail('a field name must not be empty', arg);
  if (name.trim() !== name)
    fail(
      `field name ${JSON.stringify(name)} starts or ends with white space (the server would not find the field, and a condition on an unknown field matches everything)`,
      arg,
    );
  if (hasControlCharacters(name)) fail('a field name must not contain control characters', arg);
  if (OPERATOR_CHARS.test(name))
    fail(`field name ${JSON.stringify(name)} contains an operator character (= ! < > ~): the server would split the expression there`, arg);
  return name;
}

// Made on the first Date value: a time-zone formatter loads ICU's zone data, ~15-40 ms that an
// import (and `copernica --help`) must not pay.
let amsterdam: Intl.DateTimeFormat | undefined;
const amsterdamFormat = (): Intl.DateTimeFormat =>
  (amsterdam ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Amsterdam',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }));

/** A Date as Copernica writes timestamps: `YYYY-MM-DD hh:mm:ss`, Europe/Amsterdam local time. */
export function formatTimestamp(date: Date): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) fail('a Date value must be a valid date');
  const parts = Object.fromEntries(
    amsterdamFormat()
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

function checkValue(value: unknown, operator: FilterOperator, arg: string): string {
  let text: string;
  if (value instanceof Date) text = formatTimestamp(value);
  else if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(`a number value must be finite, got ${String(value)}`, arg);
    text = String(value);
  } else if (typeof value === 'string') text = value;
  else return fail(`a value must be a string, a number or a Date, got ${value === null ? 'null' : typeof value}`, arg);
  if (text.trim() !== text)
    fail(
      'a value must not start or end with white space (the server trims the expression, so it would compare with a different value)',
      arg,
    );
  if (hasControlCharacters(text)) fail('a value must not contain control characters', arg);
  // `a<` + `=5` would be read as `a<=5`, `a<` + `>5` as `a<>5`, `a>` + `=5` as `a>=5`.
  if ((operator === '<' && /^[=>]/.test(text)) || (operator === '>' && text.startsWith('='))) {
    fail(`a value after "${operator}" must not start with "${text[0]}": the server would read the operator "${operator}${text[0]}"`, arg);
  }
  return text;
}

function make<N extends string>(field: N, operator: FilterOperator, value: string): Filter<N> {
  const expression = `${field}${operator}${value}`;
  return Object.freeze({ field, operator, value, expression, [BRAND]: true as const, toString: () => expression });
}

function build(operator: FilterOperator) {
  return <N extends string>(field: N, value: FilterValue): Filter<N> => {
    const arg = `where.${NAMES[operator]}()`;
    checkName(field, arg);
    return make(field, operator, checkValue(value, operator, arg));
  };
}

const NAMES: Record<FilterOperator, string> = {
  '==': 'eq',
  '!=': 'ne',
  '<>': 'ne',
  '<': 'lt',
  '>': 'gt',
  '<=': 'lte',
  '>=': 'gte',
  '=~': 'like',
  '!~': 'notLike',
};

/**
 * Builders of `fields[]` conditions. Field names are the database's or collection's field names,
 * or the special names `id` (the (sub)profile ID), `code` (its secret) and `modified` (last change,
 * compare with a Date or a `YYYY-MM-DD[ hh:mm:ss]` string). Bad input throws a ValidationError.
 * A filter keeps its field name's literal type (`where.eq('country', …)` is a `Filter<'country'>`),
 * so a list typed with a field map (`profiles.list<MyFields>(…)`) refuses, at compile time, a
 * filter on a field the map does not have.
 *
 * @example
 * import { where } from 'copernica-rest';
 * client.profiles.list(db, { where: [where.eq('country', 'netherlands'), where.gte('age', 18), 'age<65'] });
 * client.profiles.list(db, { where: where.gt('modified', new Date('2024-01-01')) });
 */
export const where = {
  /** `field==value`: equal (numeric when both sides are numbers, else case-insensitive). */
  eq: build('=='),
  /** `field!=value`: not equal. */
  ne: build('!='),
  /** `field<value`. */
  lt: build('<'),
  /** `field>value`. */
  gt: build('>'),
  /** `field<=value`. */
  lte: build('<='),
  /** `field>=value`. */
  gte: build('>='),
  /** `field=~pattern`: LIKE, `%` any run of characters, `_` exactly one. */
  like: build('=~'),
  /** `field!~pattern`: NOT LIKE. */
  notLike: build('!~'),
  /** `id>value`: records after an ID (what key-based iteration uses). */
  idAfter(id: number): Filter<'id'> {
    if (!Number.isSafeInteger(id) || id < 0) fail(`idAfter() needs a non-negative integer, got ${String(id)}`, 'where.idAfter()');
    return make('id' as const, '>', String(id));
  },
};

/** Whether a value is a filter made by {@link where}. */
export function isFilter(value: unknown): value is Filter {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * Splits an expression the way the server does: at the earliest operator, two-character operators
 * preferred over `<` and `>` at the same position. Undefined when there is no operator.
 */
export function parseFilterExpression(expression: string): { field: string; operator: FilterOperator; value: string } | undefined {
  for (let i = 0; i < expression.length; i++) {
    const two = expression.slice(i, i + 2) as FilterOperator;
    if (TWO.includes(two)) return { field: expression.slice(0, i), operator: two, value: expression.slice(i + 2) };
    const one = expression[i];
    if (one === '<' || one === '>') return { field: expression.slice(0, i), operator: one, value: expression.slice(i + 1) };
  }
  return undefined;
}

/** Checks a raw expression such as `'age>16'` and returns it as a Filter. */
export function parseRawFilter(expression: string, arg = 'where'): Filter {
  if (typeof expression !== 'string')
    return fail(`a condition must be a where.*() filter or a string, got ${expression === null ? 'null' : typeof expression}`, arg);
  if (hasControlCharacters(expression)) fail('a condition must not contain control characters', arg);
  const parsed = parseFilterExpression(expression);
  if (!parsed) {
    const hint = expression.includes('~=')
      ? ' (LIKE is "=~", not "~=")'
      : expression.includes('=')
        ? ' (equality is "==", there is no single "=")'
        : '';
    fail(`${JSON.stringify(expression)} has no operator; use one of == != <> < > <= >= =~ !~${hint}`, arg);
  }
  const field = checkName(parsed.field, arg);
  if (parsed.value.trim() !== parsed.value)
    fail(`the value in ${JSON.stringify(expression)} starts or ends with white space (the server trims it)`, arg);
  return make(field, parsed.operator, parsed.value);
}

/** Normalises a `where` argument to the list of `fields[]` expressions. */
export function filterExpressions(input: FilterInput | undefined, arg = 'where'): string[] {
  if (input === undefined) return [];
  const list: readonly unknown[] = Array.isArray(input) ? input : [input];
  return list.map((item, i) => {
    const name = Array.isArray(input) ? `${arg}[${i}]` : arg;
    if (isFilter(item)) return item.expression;
    if (typeof item === 'string') return parseRawFilter(item, name).expression;
    return fail(`a condition must be a where.*() filter or a string, got ${item === null ? 'null' : typeof item}`, name);
  });
}
