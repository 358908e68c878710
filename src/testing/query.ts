/** Paging, `fields[]` filters and sorting of list endpoints (spec/API.md §1.7–1.9, spec/OBSERVED.md "Lists and filters"). */
import type { FieldDef } from './fields.js';
import type { RecordContainer } from './store.js';
import { fmtDate, lowerBound, upperBound } from './util.js';

export interface Paging {
  start: number;
  limit: number;
  total: boolean;
}

export function parsePaging(q: URLSearchParams): Paging {
  const int = (v: string | null, d: number): number => {
    if (v === null || v.trim() === '') return d;
    const n = parseInt(v, 10);
    return Number.isFinite(n) ? n : d;
  };
  const start = int(q.get('start'), 0);
  let limit = int(q.get('limit'), 100);
  if (limit > 100) limit = 100;
  const t = q.get('total');
  const total = t === null || !['false', '0', 'no'].includes(t.trim().toLowerCase());
  return { start, limit, total };
}

export interface Envelope<T> {
  start: number;
  limit: number;
  count: number;
  total?: number;
  data: T[];
}

export function envelope<T>(p: Paging, data: T[], total: number): Envelope<T> {
  return p.total ? { start: p.start, limit: p.limit, count: data.length, total, data } : { start: p.start, limit: p.limit, count: data.length, data };
}

/** Page a fully materialised list. */
export function pageArray<T>(p: Paging, all: T[]): Envelope<T> {
  const data = p.start < 0 || p.limit < 0 ? [] : all.slice(p.start, p.start + p.limit);
  return envelope(p, data, all.length);
}

/** All `fields` filter expressions of a query: `fields`, `fields[]`, `fields[n]`, encoded or not. */
export function filterExpressions(q: URLSearchParams): string[] {
  const out: string[] = [];
  for (const [k, v] of q) if (k === 'fields' || /^fields\[\d*\]$/.test(k)) out.push(v);
  return out;
}

const TWO = ['==', '!=', '<>', '<=', '>=', '=~', '!~'];

export interface ParsedFilter {
  name: string;
  op: string;
  value: string;
}

/** Split `<name><op><value>` at the earliest operator, two-character operators first. */
export function parseFilter(expr: string): ParsedFilter | undefined {
  const s = expr.trim();
  for (let i = 1; i < s.length; i++) {
    const two = s.slice(i, i + 2);
    if (TWO.includes(two)) return { name: s.slice(0, i).trim(), op: two, value: s.slice(i + 2).trim() };
    const one = s[i];
    if (one === '<' || one === '>') return { name: s.slice(0, i).trim(), op: one, value: s.slice(i + 1).trim() };
  }
  return undefined;
}

const NUMERIC = /^\s*-?\d+(\.\d+)?\s*$/;

export function likeRegExp(pattern: string): RegExp {
  let src = '';
  for (const ch of pattern) {
    if (ch === '%') src += '[\\s\\S]*';
    else if (ch === '_') src += '[\\s\\S]';
    else src += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${src}$`, 'i');
}

/** Compare a record value with a filter value: numerically when both look numeric, else case-insensitively. */
export function compare(v: string, op: string, value: string, like?: RegExp): boolean {
  if (op === '=~') return (like ?? likeRegExp(value)).test(v);
  if (op === '!~') return !(like ?? likeRegExp(value)).test(v);
  let a: number | string;
  let b: number | string;
  if (NUMERIC.test(v) && NUMERIC.test(value)) {
    a = Number(v);
    b = Number(value);
  } else {
    a = v.toLowerCase();
    b = value.toLowerCase();
  }
  switch (op) {
    case '==':
      return a === b;
    case '!=':
    case '<>':
      return a !== b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '>=':
      return a >= b;
    default:
      return true;
  }
}

export interface CompiledFilters {
  /** Inclusive ID bounds derived from `id` conditions. */
  lo: number;
  hi: number;
  preds: ((id: number) => boolean)[];
  /** `name == value` pairs of known fields (used by bulk PUT with create=true). */
  equalities: Record<string, string>;
}

export function compileFilters(c: RecordContainer, exprs: string[]): CompiledFilters {
  const out: CompiledFilters = { lo: -Infinity, hi: Infinity, preds: [], equalities: {} };
  for (const e of exprs) {
    const pf = parseFilter(e);
    if (!pf) continue;
    const { name, op, value } = pf;
    const lname = name.toLowerCase();
    const like = op === '=~' || op === '!~' ? likeRegExp(value) : undefined;
    if (lname === 'id') {
      const n = Number(value);
      if (NUMERIC.test(value) && op !== '=~' && op !== '!~') {
        if (op === '>') out.lo = Math.max(out.lo, Math.floor(n) + 1);
        else if (op === '>=') out.lo = Math.max(out.lo, Math.ceil(n));
        else if (op === '<') out.hi = Math.min(out.hi, Math.ceil(n) - 1);
        else if (op === '<=') out.hi = Math.min(out.hi, Math.floor(n));
        else if (op === '==') {
          if (Number.isInteger(n)) {
            out.lo = Math.max(out.lo, n);
            out.hi = Math.min(out.hi, n);
          } else out.hi = -Infinity;
        } else out.preds.push((id) => id !== n);
      } else out.preds.push((id) => compare(String(id), op, value, like));
      continue;
    }
    if (lname === 'code') {
      out.preds.push((id) => compare(c.secretOf(id), op, value, like));
      continue;
    }
    if (lname === 'modified') {
      out.preds.push((id) => compare(fmtDate(c.modifiedOf(id)), op, value, like));
      continue;
    }
    const f = c.fields.byName(name);
    if (!f) continue; // unknown field: the condition is ignored (matches everything)
    if (op === '==') out.equalities[f.name] = value;
    out.preds.push((id) => compare(c.value(id, f), op, value, like));
  }
  return out;
}

type SortKey = { kind: 'id' } | { kind: 'random' } | { kind: 'modified' } | { kind: 'field'; field: FieldDef };

export function sortSpec(c: RecordContainer, q: URLSearchParams): { key: SortKey; desc: boolean } {
  const vals = [q.get('orderby'), q.get('order')].filter((v): v is string => v !== null && v.trim() !== '').map((v) => v.trim());
  let desc = false;
  let keyName = 'id';
  for (const v of vals) {
    const l = v.toLowerCase();
    if (l === 'asc') desc = false;
    else if (l === 'desc') desc = true;
    else keyName = v;
  }
  const l = keyName.toLowerCase();
  if (l === 'id') return { key: { kind: 'id' }, desc };
  if (l === 'random') return { key: { kind: 'random' }, desc };
  if (l === 'modified') return { key: { kind: 'modified' }, desc };
  const f = c.fields.byRef(keyName);
  return { key: f ? { kind: 'field', field: f } : { kind: 'id' }, desc };
}

export interface SelectResult {
  ids: number[];
  total: number;
}

/**
 * Select a page of IDs from `candidates` (ascending) with the query's filters, sort and paging.
 * `id` bounds use binary search; with `orderby=id` and `total=false` the scan stops after the page.
 */
export function selectPage(c: RecordContainer, candidates: readonly number[], q: URLSearchParams, p: Paging, random: () => number): SelectResult {
  const cf = compileFilters(c, filterExpressions(q));
  const { key, desc } = sortSpec(c, q);
  const i0 = cf.lo === -Infinity ? 0 : lowerBound(candidates, cf.lo);
  const i1 = cf.hi === Infinity ? candidates.length : upperBound(candidates, cf.hi);
  const bad = p.start < 0 || p.limit < 0;
  const preds = cf.preds;
  const match = (id: number): boolean => {
    for (const f of preds) if (!f(id)) return false;
    return true;
  };
  if (key.kind === 'id') {
    if (preds.length === 0) {
      const total = Math.max(0, i1 - i0);
      if (bad) return { ids: [], total };
      const ids: number[] = [];
      if (!desc) for (let i = i0 + p.start; i < i1 && ids.length < p.limit; i++) ids.push(candidates[i] as number);
      else for (let i = i1 - 1 - p.start; i >= i0 && ids.length < p.limit; i--) ids.push(candidates[i] as number);
      return { ids, total };
    }
    const ids: number[] = [];
    let seen = 0;
    const want = p.start + p.limit;
    const step = desc ? -1 : 1;
    for (let i = desc ? i1 - 1 : i0; desc ? i >= i0 : i < i1; i += step) {
      const id = candidates[i] as number;
      if (!match(id)) continue;
      if (!bad && seen >= p.start && seen < want) ids.push(id);
      seen++;
      if (!p.total && seen >= want) break;
    }
    return { ids, total: seen };
  }
  const all: number[] = [];
  for (let i = i0; i < i1; i++) {
    const id = candidates[i] as number;
    if (match(id)) all.push(id);
  }
  if (key.kind === 'random') {
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [all[i], all[j]] = [all[j] as number, all[i] as number];
    }
  } else {
    let keyOf: (id: number) => number | string;
    if (key.kind === 'modified') keyOf = (id) => c.modifiedOf(id);
    else {
      const f = key.field;
      const numeric = f.type === 'integer' || f.type === 'float' || f.type === 'foreign_key';
      keyOf = numeric ? (id) => Number(c.value(id, f)) : (id) => c.value(id, f).toLowerCase();
    }
    const keys = new Map<number, number | string>();
    for (const id of all) keys.set(id, keyOf(id));
    const dir = desc ? -1 : 1;
    all.sort((a, b) => {
      const ka = keys.get(a) as number | string;
      const kb = keys.get(b) as number | string;
      return (ka < kb ? -1 : ka > kb ? 1 : a - b) * dir;
    });
  }
  return { ids: bad ? [] : all.slice(p.start, p.start + p.limit), total: all.length };
}

/** Every ID matching the filters (no paging), ascending. */
export function selectAll(c: RecordContainer, candidates: readonly number[], exprs: string[]): { ids: number[]; filters: CompiledFilters } {
  const cf = compileFilters(c, exprs);
  const i0 = cf.lo === -Infinity ? 0 : lowerBound(candidates, cf.lo);
  const i1 = cf.hi === Infinity ? candidates.length : upperBound(candidates, cf.hi);
  const ids: number[] = [];
  outer: for (let i = i0; i < i1; i++) {
    const id = candidates[i] as number;
    for (const f of cf.preds) if (!f(id)) continue outer;
    ids.push(id);
  }
  return { ids, filters: cf };
}
