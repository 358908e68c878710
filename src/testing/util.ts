/** Small helpers shared by the fake server's modules: PRNG, hashing, dates, booleans, HTML. */

/** mulberry32: a tiny deterministic PRNG. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stateless 32-bit hash of up to three integers (murmur3 finaliser); used for lazily generated values. */
export function hash3(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35) ^ Math.imul(c + 0x165667b1, 0x27d4eb2f);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const p2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `YYYY-MM-DD` of a day number since 1970-01-01 (civil-from-days, no Date allocation). */
export function fmtDay(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${p2(m)}-${p2(d)}`;
}

/** Last Sunday of a month (UTC), as epoch seconds at 01:00 UTC: when EU summer time starts or ends. */
function lastSundayAt1Utc(year: number, month: number): number {
  const lastDay = Date.UTC(year, month + 1, 0);
  const dow = new Date(lastDay).getUTCDay();
  return (lastDay - dow * 86_400_000) / 1000 + 3600;
}

const dstCache = new Map<number, [number, number]>();

/** Offset of Europe/Amsterdam from UTC at an instant, in seconds (EU rules: CET +1, CEST +2). */
export function amsterdamOffset(epochSeconds: number): number {
  // The year from the mean Gregorian year length: off by at most a day around New Year, where
  // neither year's summer time (late March to late October) applies, so the answer is the same.
  const year = 1970 + Math.floor(epochSeconds / 31_556_952);
  let span = dstCache.get(year);
  if (!span) {
    span = [lastSundayAt1Utc(year, 2), lastSundayAt1Utc(year, 9)];
    dstCache.set(year, span);
  }
  return epochSeconds >= span[0] && epochSeconds < span[1] ? 7200 : 3600;
}

/**
 * Format epoch seconds as `YYYY-MM-DD hh:mm:ss` in Europe/Amsterdam local time: the zone-less
 * format of the API's entity dates (`created`, `modified`, `removed`), as spec/OBSERVED.md describes.
 */
export function fmtDate(epochSeconds: number): string {
  return fmtDateUtc(epochSeconds + amsterdamOffset(epochSeconds));
}

/** Format epoch seconds as `YYYY-MM-DD hh:mm:ss` in UTC. */
export function fmtDateUtc(epochSeconds: number): string {
  const days = Math.floor(epochSeconds / 86400);
  const rest = epochSeconds - days * 86400;
  return `${fmtDay(days)} ${p2(Math.floor(rest / 3600))}:${p2(Math.floor(rest / 60) % 60)}:${p2(rest % 60)}`;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export const EMPTY_DATE = '0000-00-00';
export const EMPTY_DATETIME = '0000-00-00 00:00:00';

/** Loose boolean parsing (spec/API.md §1.4): true/false, 1/0, "1"/"0", "true"/"false" (any case), "yes"/"no". */
export function parseBool(v: unknown, fallback = false): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true' || s === '1' || s === 'yes' || s === 'on') return true;
    if (s === 'false' || s === '0' || s === 'no' || s === 'off' || s === '') return false;
  }
  return fallback;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** Binary search: index of the first element >= x in an ascending array. */
export function lowerBound(arr: readonly number[], x: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((arr[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Binary search: index of the first element > x in an ascending array. */
export function upperBound(arr: readonly number[], x: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((arr[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Insert into / remove from an ascending id array. */
export function sortedInsert(arr: number[], x: number): void {
  if (arr.length === 0 || (arr[arr.length - 1] as number) < x) {
    arr.push(x);
    return;
  }
  const i = lowerBound(arr, x);
  if (arr[i] !== x) arr.splice(i, 0, x);
}

export function sortedRemove(arr: number[], x: number): boolean {
  const i = lowerBound(arr, x);
  if (arr[i] !== x) return false;
  arr.splice(i, 1);
  return true;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parse an integer path/body value strictly (digits only). */
export function parseId(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
  if (typeof v === 'string' && /^\d{1,15}$/.test(v)) {
    const n = Number(v);
    return n > 0 ? n : undefined;
  }
  return undefined;
}

/** Position of `id` in an ascending array, or -1. */
export function indexOfSorted(arr: readonly number[], id: number): number {
  const i = lowerBound(arr, id);
  return arr[i] === id ? i : -1;
}

/**
 * Define `key` as an own data property, whatever its name: `obj['__proto__'] = v` would set the
 * prototype instead (and `Object.assign` runs that setter too). Every object the fake builds from
 * names it did not choose (body keys, field names) goes through this.
 */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}
