/** Paging, `fields[]` filters and sorting of list endpoints (spec/API.md §1.7–1.9, spec/OBSERVED.md "Lists and filters"). */
import type { FieldDef } from './fields.js';
import type { RecordContainer } from './store.js';
import { fmtDate, lowerBound, upperBound } from './util.js';

export interface Paging {
  start: number;
  limit: number;
  total: boolean;
}

/**
 * An integer paging parameter as PHP's `intval` reads it (spec/OBSERVED.md "Paging parameters"):
 * the name is case-sensitive (`LIMIT=1` is another parameter); an array-valued one (`limit[]=…`,
 * `limit[x]=…`) counts as 1; a leading integer is read (`"12abc"` → 12); anything else keeps the
 * default (the peer's fake read junk as 0; nothing claims that is live).
 */
function intParam(q: URLSearchParams, name: string, d: number): number {
  const v = q.get(name);
  if (v === null) {
    for (const k of q.keys()) if (k.startsWith(`${name}[`) && k.endsWith(']')) return 1;
    return d;
  }
  if (v.trim() === '') return d;
  const n = parseInt(v, 10);
  return Number.isFinite(n) ? n : d;
}

/**
 * `total` as the live service reads it: `true` or `yes` in any case, or a numeric string whose
 * absolute value is at least 1; any other string (`false`, `0`, `0.5`, empty, ` true`) is false.
 * `total[]=…` (an array) is true, and so is leaving `total` out.
 */
export function totalParam(q: URLSearchParams): boolean {
  const t = q.get('total');
  if (t === null) return true;
  const l = t.toLowerCase();
  if (l === 'true' || l === 'yes') return true;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Math.abs(Number(t)) >= 1;
  return false;
}

export function parsePaging(q: URLSearchParams): Paging {
  const start = intParam(q, 'start', 0);
  let limit = intParam(q, 'limit', 100);
  if (limit > 100) limit = 100;
  return { start, limit, total: totalParam(q) };
}

export interface Envelope<T> {
  start: number;
  limit: number;
  count: number;
  total?: number;
  data: T[];
}

export function envelope<T>(p: Paging, data: T[], total: number): Envelope<T> {
  // Key order as the live service writes it: `total` after `data`.
  return p.total
    ? { start: p.start, limit: p.limit, count: data.length, data, total }
    : { start: p.start, limit: p.limit, count: data.length, data };
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

/**
 * Split `<name><op><value>` at the earliest operator, two-character operators first. Only the whole
 * expression is trimmed (spec/OBSERVED.md "Filters"): a space before the operator stays in the name
 * (an unknown field, so the condition is ignored), a space after it stays in the value.
 */
export function parseFilter(expr: string): ParsedFilter | undefined {
  const s = expr.trim();
  for (let i = 1; i < s.length; i++) {
    const two = s.slice(i, i + 2);
    if (TWO.includes(two)) return { name: s.slice(0, i), op: two, value: s.slice(i + 2) };
    const one = s[i];
    if (one === '<' || one === '>') return { name: s.slice(0, i), op: one, value: s.slice(i + 1) };
  }
  return undefined;
}

const NUMERIC = /^\s*-?\d+(\.\d+)?\s*$/;
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * A LIKE pattern (`%` any run of characters, `_` one character, case-insensitive) compiled to a
 * matcher that runs in O(value × pattern) time at worst, without backtracking: greedy two-pointer
 * wildcard matching that only ever returns to the last `%` (a regex with one `[\s\S]*` per `%`
 * backtracked exponentially: `%a%a%a%a%a%a%a%a%a%b` held the fake for 13.9 s, issue 11).
 * Characters are code points, so `_` matches one character even outside the BMP.
 */
export function likeMatcher(pattern: string): (value: string) => boolean {
  const lower = pattern.toLowerCase();
  if (!lower.includes('_')) {
    // Only `%`: prefix, suffix, and each middle part at its leftmost place after the previous one
    // (leftmost is always safe when every gap is `%`); `indexOf` keeps it O(value × pattern).
    const parts = lower.split('%');
    if (parts.length === 1) return (value) => value.toLowerCase() === lower;
    const first = parts[0] as string;
    const last = parts[parts.length - 1] as string;
    const middle = parts.slice(1, -1).filter((x) => x !== '');
    return (value: string): boolean => {
      const lv = value.toLowerCase();
      const end = lv.length - last.length;
      if (end < first.length || !lv.startsWith(first) || !lv.endsWith(last)) return false;
      let pos = first.length;
      for (const m of middle) {
        const at = lv.indexOf(m, pos);
        if (at < 0 || at + m.length > end) return false;
        pos = at + m.length;
      }
      return true;
    };
  }
  const p: ArrayLike<string> = SURROGATE.test(lower) ? Array.from(lower) : lower;
  return (value: string): boolean => {
    const lv = value.toLowerCase();
    // Code units are code points unless a surrogate pair is present: index the string directly then.
    const t: ArrayLike<string> = SURROGATE.test(lv) ? Array.from(lv) : lv;
    let i = 0;
    let j = 0;
    let star = -1;
    let mark = 0;
    while (i < t.length) {
      const pc = p[j];
      if (pc !== undefined && pc !== '%' && (pc === '_' || pc === t[i])) {
        i++;
        j++;
      } else if (pc === '%') {
        star = j++;
        mark = i;
      } else if (star >= 0) {
        j = star + 1;
        i = ++mark;
      } else return false;
    }
    while (p[j] === '%') j++;
    return j === p.length;
  };
}

/** How a field's values compare in a filter (spec/OBSERVED.md "Filters"). */
export type CompareKind = 'text' | 'number' | 'date' | 'exact';

export function compareKind(f: FieldDef | undefined): CompareKind {
  switch (f?.type) {
    case 'integer':
    case 'float':
    case 'foreign_key':
      return 'number';
    case 'date':
    case 'empty_date':
    case 'datetime':
    case 'empty_datetime':
      return 'date';
    case 'select':
      return 'exact';
    default:
      return 'text';
  }
}

/** A filter value read as a number, loosely (`" 6"` → 6, `""` → 0, `"abc"` → 0), as a database casts it. */
function looseNumber(s: string): number {
  const n = parseFloat(s.trim());
  return Number.isFinite(n) ? n : 0;
}

/**
 * Compare a record value with a filter value.
 * - `text` (the default, also `id`, `code`, `modified`): numerically when both look numeric, else
 *   case-insensitively; the value as written, so `== Muit` does not find `Muit`.
 * - `number` (integer, float, foreign_key fields): numerically, the value cast loosely, so
 *   `Score== 6` finds 6 and `ANumber==` finds 0.
 * - `date` (date fields): as `YYYY-MM-DD hh:mm:ss` strings, the value trimmed.
 * - `exact` (select fields): case-sensitively.
 */
export function compare(v: string, op: string, value: string, like?: (v: string) => boolean, kind: CompareKind = 'text'): boolean {
  if (op === '=~') return (like ?? likeMatcher(value))(v);
  if (op === '!~') return !(like ?? likeMatcher(value))(v);
  let a: number | string;
  let b: number | string;
  if (kind === 'number') {
    a = looseNumber(v);
    b = looseNumber(value);
  } else if (kind === 'date') {
    a = v;
    b = value.trim();
  } else if (kind === 'exact') {
    a = v;
    b = value;
  } else if (NUMERIC.test(v) && NUMERIC.test(value) && v.trim() === v && value.trim() === value) {
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

/**
 * The key under which an equality index files a value: `compare(v, '==', value, undefined, kind)`
 * holds only when `eqKey(kind, v) === eqQueryKey(kind, value)` (Map keys: SameValueZero). Text:
 * a trimmed numeric value as its number (the numeric branch of {@link compare}), anything else in
 * lower case (the two never meet: a lower-cased string equal to a trimmed numeric one is that string).
 */
function eqKey(kind: CompareKind, v: string): number | string {
  if (kind === 'number') return looseNumber(v);
  if (kind === 'date' || kind === 'exact') return v;
  return NUMERIC.test(v) && v.trim() === v ? Number(v) : v.toLowerCase();
}

function eqQueryKey(kind: CompareKind, value: string): number | string {
  return kind === 'date' ? value.trim() : eqKey(kind, value);
}

/** One field's index: key → the live record ID (one) or IDs (several) with that key. */
interface FieldIndex {
  readonly field: FieldDef;
  /** What the keys were computed with: a field edited since (type, default value) makes the index stale. */
  readonly type: FieldDef['type'];
  readonly value: string;
  readonly kind: CompareKind;
  readonly buckets: Map<number | string, number | Set<number>>;
}

/**
 * Equality indexes of one database or collection, for `fields[]=name==value` (a sync's key lookup,
 * the bulk PUT's upsert): built per field on the first `==` lookup of that field, from the live
 * records (seeded values are generated then, once), and kept current by the store on every create,
 * write and removal ({@link EqualityIndexes.remove} before, {@link EqualityIndexes.add} after). An
 * index whose field was edited (type or default value) since it was built is dropped and rebuilt on
 * its next lookup; one whose field was deleted is dropped. The index only narrows the candidates:
 * every condition of the query is still checked on them, so results are those of a scan.
 */
export class EqualityIndexes {
  readonly #byField = new Map<FieldDef, FieldIndex>();

  constructor(private readonly container: RecordContainer) {}

  /** Number of fields indexed now (tests). */
  get size(): number {
    return this.#byField.size;
  }

  /**
   * The live records whose value of `f` may equal `value`: a number (one ID), a set, or undefined
   * (none). Builds the field's index on first use.
   */
  bucket(f: FieldDef, value: string): number | Set<number> | undefined {
    const c = this.container;
    for (const idx of this.#byField.values()) if (!c.fields.list.includes(idx.field)) this.#byField.delete(idx.field);
    let idx = this.#current(f);
    if (!idx) {
      idx = { field: f, type: f.type, value: f.value, kind: compareKind(f), buckets: new Map() };
      for (const id of c.ids) put(idx.buckets, eqKey(idx.kind, c.value(id, f)), id);
      this.#byField.set(f, idx);
    }
    return idx.buckets.get(eqQueryKey(idx.kind, value));
  }

  /** File a record that became live or was written (call after the write). A Map may lose entries while iterated. */
  add(id: number): void {
    if (this.#byField.size === 0) return;
    for (const f of this.#byField.keys()) {
      const idx = this.#current(f);
      if (idx) put(idx.buckets, eqKey(idx.kind, this.container.value(id, f)), id);
    }
  }

  /** Unfile a live record about to be written or removed (call before the write). */
  remove(id: number): void {
    if (this.#byField.size === 0) return;
    for (const f of this.#byField.keys()) {
      const idx = this.#current(f);
      if (idx) take(idx.buckets, eqKey(idx.kind, this.container.value(id, f)), id);
    }
  }

  /** The field's index if it is current; a stale one is dropped. */
  #current(f: FieldDef): FieldIndex | undefined {
    const idx = this.#byField.get(f);
    if (idx && (idx.type !== f.type || idx.value !== f.value)) {
      this.#byField.delete(f);
      return undefined;
    }
    return idx;
  }
}

function put(buckets: Map<number | string, number | Set<number>>, key: number | string, id: number): void {
  const b = buckets.get(key);
  if (b === undefined) buckets.set(key, id);
  else if (typeof b === 'number') {
    if (b !== id) buckets.set(key, new Set([b, id]));
  } else b.add(id);
}

function take(buckets: Map<number | string, number | Set<number>>, key: number | string, id: number): void {
  const b = buckets.get(key);
  if (b === id) buckets.delete(key);
  else if (typeof b === 'object') {
    b.delete(id);
    if (b.size === 1) buckets.set(key, b.values().next().value as number);
  }
}

/** A bucket at most this large is always used; a larger one only when it is under 1/8 of the range scanned. */
const SMALL_BUCKET = 64;

/**
 * The candidates (ascending, within `candidates[i0..i1)`) that can match the query's `==`
 * conditions, from the smallest equality index bucket; undefined when there is no `==` condition on
 * a field or the bucket is about as large as the range (a scan is as cheap then).
 */
function narrowed(
  c: RecordContainer,
  candidates: readonly number[],
  i0: number,
  i1: number,
  eqs: readonly EqualityCondition[],
): number[] | undefined {
  if (eqs.length === 0) return undefined;
  let best: number | Set<number> | undefined;
  let bestSize = Infinity;
  for (const e of eqs) {
    const b = c.eq.bucket(e.field, e.value);
    const size = b === undefined ? 0 : typeof b === 'number' ? 1 : b.size;
    if (size < bestSize) {
      best = b;
      bestSize = size;
    }
    if (size === 0) break;
  }
  if (bestSize > SMALL_BUCKET && bestSize * 8 > i1 - i0) return undefined;
  const out: number[] = [];
  const consider = (id: number): void => {
    const k = lowerBound(candidates, id);
    if (k >= i0 && k < i1 && candidates[k] === id) out.push(id);
  };
  if (typeof best === 'number') consider(best);
  else if (best) for (const id of best) consider(id);
  return out.sort((a, b) => a - b);
}

interface EqualityCondition {
  field: FieldDef;
  value: string;
}

export interface CompiledFilters {
  /** Inclusive ID bounds derived from `id` conditions. */
  lo: number;
  hi: number;
  preds: ((id: number) => boolean)[];
  /** `name == value` pairs of known fields (used by bulk PUT with create=true). */
  equalities: Record<string, string>;
  /** `==` conditions on fields, for the equality indexes (every one is also in `preds`). */
  eqs: EqualityCondition[];
}

export function compileFilters(c: RecordContainer, exprs: string[]): CompiledFilters {
  const out: CompiledFilters = { lo: -Infinity, hi: Infinity, preds: [], equalities: {}, eqs: [] };
  for (const e of exprs) {
    const pf = parseFilter(e);
    if (!pf) continue;
    const { name, op, value } = pf;
    const lname = name.toLowerCase();
    const like = op === '=~' || op === '!~' ? likeMatcher(value) : undefined;
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
    const f = c.fields.byName(name);
    // A real field named `modified` wins over the timestamp (spec/OBSERVED.md, noted live).
    if (!f && lname === 'modified') {
      out.preds.push((id) => compare(fmtDate(c.modifiedOf(id)), op, value, like, 'date'));
      continue;
    }
    if (!f) continue; // unknown field (also `name ` with a space before the operator): ignored, matches everything
    if (op === '==') {
      out.equalities[f.name] = value;
      out.eqs.push({ field: f, value });
    }
    const kind = compareKind(f);
    out.preds.push((id) => compare(c.value(id, f), op, value, like, kind));
  }
  return out;
}

type SortKey = { kind: 'id' } | { kind: 'random' } | { kind: 'modified' } | { kind: 'field'; field: FieldDef };

/**
 * `orderby` and `order` (spec/OBSERVED.md "Paging parameters", spec/API.md §1.9): the names are
 * case-sensitive, their values are not. `orderby` is a field name or ID, `id`, `random` or
 * `modified`; an unknown one keeps ID order. `order=desc` or `order=descending` (any case) sorts
 * descending. Any other `order` value is the sort key when it names one and `orderby` is absent
 * (the pages describe the key under `order`), else ignored: `descendin` and an array `order[]=desc`
 * give the default ascending ID order, without error, as live.
 */
export function sortSpec(c: RecordContainer, q: URLSearchParams): { key: SortKey; desc: boolean } {
  const order = q.get('order');
  const lorder = order?.toLowerCase();
  const desc = lorder === 'desc' || lorder === 'descending';
  const direction = desc || lorder === 'asc' || lorder === 'ascending';
  const orderby = q.get('orderby');
  const keyName = orderby ?? (order !== null && !direction ? order : 'id');
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
export function selectPage(c: RecordContainer, all0: readonly number[], q: URLSearchParams, p: Paging, random: () => number): SelectResult {
  const cf = compileFilters(c, filterExpressions(q));
  const { key, desc } = sortSpec(c, q);
  let candidates = all0;
  let i0 = cf.lo === -Infinity ? 0 : lowerBound(candidates, cf.lo);
  let i1 = cf.hi === Infinity ? candidates.length : upperBound(candidates, cf.hi);
  const few = narrowed(c, candidates, i0, i1, cf.eqs);
  if (few) {
    candidates = few;
    i0 = 0;
    i1 = few.length;
  }
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
  let i0 = cf.lo === -Infinity ? 0 : lowerBound(candidates, cf.lo);
  let i1 = cf.hi === Infinity ? candidates.length : upperBound(candidates, cf.hi);
  const few = narrowed(c, candidates, i0, i1, cf.eqs);
  const list = few ?? candidates;
  if (few) {
    i0 = 0;
    i1 = few.length;
  }
  const ids: number[] = [];
  outer: for (let i = i0; i < i1; i++) {
    const id = list[i] as number;
    for (const f of cf.preds) if (!f(id)) continue outer;
    ids.push(id);
  }
  return { ids, filters: cf };
}
