/**
 * Field-type-aware comparison for `client.profiles.sync()`: what Copernica would store for a value
 * (spec/OBSERVED.md "Encoding of values", "Removed entities and empty values"), so a value that
 * would be stored identically is `unchanged` and costs no write. Written from the spec, not from the
 * fake server.
 */
import type { Field } from '../fields.js';

/** The stored form of a value, or an issue when Copernica would silently mangle it. */
export type Normalised = { ok: true; value: string } | { ok: false; issue: string };

const EMPTY_DATE = /^0000-00-00/;
const DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DATETIME = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?$/;

const p2 = (s: string | undefined): string => (s ?? '0').padStart(2, '0');

function isCalendarDate(y: string, m: string, d: string): boolean {
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
}

/**
 * The value Copernica stores for `input` in field `f`:
 * - integer / foreign_key: a whole number, leading zeros and `+` dropped (`"007"` → `"7"`); empty → `"0"`;
 * - float: the number (`"1.50"` → `"1.5"`); empty → `"0"`;
 * - select: the choice as defined (case-insensitive match: `"Germany"` → `"germany"`); empty → `""`;
 * - date / datetime (and their `empty_` forms): zero-padded; `""` and `0000-00-00…` are the same empty date;
 * - text, e-mail, phone, big: white space at both ends trimmed; text longer than the field's length is cut.
 * Input Copernica would mangle (a word in an integer field, a select value that is not a choice, a
 * date that is not a date) is an issue, never a silent coercion.
 */
export function normaliseInput(f: Field, input: string | number): Normalised {
  const text = typeof input === 'number' ? String(input) : input.trim();
  switch (f.type) {
    case 'integer':
    case 'foreign_key': {
      if (text === '') return { ok: true, value: '0' };
      if (typeof input === 'number' ? !Number.isSafeInteger(input) : !/^[-+]?\d+$/.test(text))
        return { ok: false, issue: `must be a whole number (field type ${f.type})` };
      return { ok: true, value: String(BigInt(text.replace(/^\+/, ''))) };
    }
    case 'float': {
      if (text === '') return { ok: true, value: '0' };
      if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text)) return { ok: false, issue: 'must be a number (field type float)' };
      return { ok: true, value: String(Number(text)) };
    }
    case 'select': {
      if (text === '') return { ok: true, value: '' };
      const hit = f.choices.find((c) => c.toLowerCase() === text.toLowerCase());
      return hit === undefined
        ? { ok: false, issue: `must be one of ${f.choices.map((c) => JSON.stringify(c)).join(', ')} (Copernica would store "")` }
        : { ok: true, value: hit };
    }
    case 'date':
    case 'empty_date': {
      if (text === '' || EMPTY_DATE.test(text)) return { ok: true, value: '' };
      const m = DATE.exec(text);
      if (!m || !isCalendarDate(m[1]!, m[2]!, m[3]!)) return { ok: false, issue: `must be a date YYYY-MM-DD (field type ${f.type})` };
      return { ok: true, value: `${m[1]}-${p2(m[2])}-${p2(m[3])}` };
    }
    case 'datetime':
    case 'empty_datetime': {
      if (text === '' || EMPTY_DATE.test(text)) return { ok: true, value: '' };
      const m = DATETIME.exec(text) ?? (DATE.test(text) ? DATETIME.exec(`${text} 00:00:00`) : null);
      if (!m || !isCalendarDate(m[1]!, m[2]!, m[3]!) || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59) {
        return { ok: false, issue: `must be a date and time YYYY-MM-DD hh:mm:ss (field type ${f.type})` };
      }
      return { ok: true, value: `${m[1]}-${p2(m[2])}-${p2(m[3])} ${p2(m[4])}:${p2(m[5])}:${p2(m[6])}` };
    }
    case 'big':
      return { ok: true, value: text };
    default: {
      const length = typeof f.length === 'number' && f.length > 0 ? f.length : undefined;
      return { ok: true, value: length !== undefined && text.length > length ? text.slice(0, length).trimEnd() : text };
    }
  }
}

/** A stored value (as read back) in the same normal form as {@link normaliseInput}. */
export function normaliseStored(f: Field, stored: string | undefined): string {
  const r = normaliseInput(f, stored ?? '');
  return r.ok ? r.value : (stored ?? '').trim();
}

/** Whether a stored value counts as empty for `preserve` (integers and floats: never empty, `0` is a value). */
export function isEmptyStored(f: Field, stored: string | undefined): boolean {
  if (f.type === 'integer' || f.type === 'foreign_key' || f.type === 'float') return false;
  return normaliseStored(f, stored) === '';
}

/**
 * The identity of a key value as Copernica's `==` filter compares it: text case-insensitively
 * (spec/OBSERVED.md "Filters"), so two source keys differing only in case are the same customer.
 */
export function keyIdentity(f: Field, normalised: string): string {
  return f.type === 'select' || f.type === 'integer' || f.type === 'foreign_key' || f.type === 'float'
    ? normalised
    : normalised.toLowerCase();
}

/** The field definitions by lower-case name (the server matches names case-insensitively). */
export function fieldsByName(defs: readonly Field[]): Map<string, Field> {
  return new Map(defs.map((f) => [f.name.toLowerCase(), f]));
}
