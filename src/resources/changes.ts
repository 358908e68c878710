/**
 * Changes out: `client.profiles.changes(database, { since })` streams the profiles modified since a
 * point in time and, once the stream is read to the end, gives the cursor to pass next time.
 *
 * Copernica's `modified` is a zone-less `YYYY-MM-DD hh:mm:ss` in Europe/Amsterdam time with
 * one-second precision (spec/OBSERVED.md "Encoding of values", "`modified` and other timestamps").
 * Two traps follow, and the cursor is built around both:
 * - when the clocks go back (last Sunday of October) local time repeats an hour, so a change made
 *   after the previous run can carry an earlier `modified` than the last one seen. The next run
 *   therefore asks `modified>=` one hour (plus a clock-skew margin) before the local time at which
 *   the previous run started: local time never goes back by more than an hour;
 * - that overlap returns profiles the previous run already delivered. The cursor lists them as
 *   (ID, `modified`, content hash); a profile with the same three is skipped, one whose values
 *   changed within the same second (same `modified`, other hash) is delivered again.
 *
 * Cursor format (a string, opaque to callers but documented): `cpc1.` + base64url of the JSON
 * `{"v":1,"db":<database ID>,"since":"YYYY-MM-DD hh:mm:ss","seen":[[ID,"modified","hash8"],…]}`.
 * `since` is the Amsterdam-local lower bound of the next run; `seen` holds only the profiles whose
 * `modified` is at or after it, so it stays as large as the changes of the last hour or so.
 *
 * Removed profiles are not reported: Copernica leaves them out of lists.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { checkInput } from '../core/input.js';
import { CopernicaError, ValidationError } from '../core/errors.js';
import { formatTimestamp } from '../core/filter.js';
import type { PageRequest } from '../core/pagination.js';
import type { RecordFieldValues, FieldMap } from './records.js';
import type { Profile } from './profiles.js';

/** Parameters of `client.profiles.changes()`. */
export interface ProfileChangesParams {
  /**
   * Where to start: the cursor of the previous run; a Date; a `YYYY-MM-DD` or `YYYY-MM-DD hh:mm:ss`
   * string in Copernica's (Amsterdam) local time; or undefined for every profile.
   */
  since?: string | Date;
  /** Margin for a difference between this machine's clock and Copernica's, in ms (default 5 minutes). */
  clockSkewMs?: number;
  /** Page size, 1 to 100 (default 100). */
  limit?: number;
}

/** A stream of changed profiles. `cursor` is readable once the stream was read to its end. */
export interface ProfileChanges<F extends FieldMap<F> = RecordFieldValues> extends AsyncIterable<Profile<F>> {
  /** The cursor to pass as `since` next time. Throws until the stream was read to its end. */
  readonly cursor: string;
}

const paramsSchema = z.strictObject({
  since: z.unknown().optional(),
  clockSkewMs: z.number().int('must be an integer').min(0, 'must not be negative').max(86_400_000, 'must be at most a day').optional(),
  limit: z.number().int('must be an integer').min(1, 'must be 1 to 100').max(100, 'must be 1 to 100').optional(),
});

const PREFIX = 'cpc1.';
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/;
const HOUR = 3600;

interface CursorState {
  v: 1;
  db: number;
  since: string;
  seen: [number, string, string][];
}

function fail(issue: string): never {
  throw new ValidationError(`Invalid params.since: ${issue}`, [`params.since: ${issue}`]);
}

/** Wall-clock arithmetic on a local `YYYY-MM-DD hh:mm:ss` (no zone rules: the string moves by exactly `seconds`). */
export function shiftLocal(local: string, seconds: number): string {
  const m = LOCAL.exec(local);
  if (!m) throw new CopernicaError(`Not a local timestamp: ${local}`);
  const t =
    Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)) / 1000 + seconds;
  return new Date(t * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

export function encodeCursor(state: CursorState): string {
  return PREFIX + Buffer.from(JSON.stringify(state)).toString('base64url');
}

export function decodeCursor(cursor: string, database: number): CursorState {
  let s: unknown;
  try {
    s = JSON.parse(Buffer.from(cursor.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    fail('not a changes() cursor (damaged)');
  }
  const c = s as Partial<CursorState> | null;
  if (
    typeof c !== 'object' ||
    c === null ||
    c.v !== 1 ||
    !Number.isSafeInteger(c.db) ||
    typeof c.since !== 'string' ||
    !LOCAL.test(c.since) ||
    !Array.isArray(c.seen) ||
    !c.seen.every(
      (e) => Array.isArray(e) && e.length === 3 && Number.isSafeInteger(e[0]) && typeof e[1] === 'string' && typeof e[2] === 'string',
    )
  ) {
    fail('not a changes() cursor (damaged)');
  }
  if (c.db !== database) fail(`the cursor belongs to database ${c.db}, not ${database}`);
  return c as CursorState;
}

/** The lower bound and the already-delivered set of a run. */
export function startOf(since: unknown, database: number): { since: string | undefined; seen: Map<number, string> } {
  if (since === undefined) return { since: undefined, seen: new Map() };
  if (since instanceof Date) {
    if (Number.isNaN(since.getTime())) fail('must be a valid Date');
    return { since: formatTimestamp(since), seen: new Map() };
  }
  if (typeof since !== 'string')
    fail(`must be a cursor, a Date or a YYYY-MM-DD[ hh:mm:ss] string, got ${since === null ? 'null' : typeof since}`);
  if (since.startsWith(PREFIX)) {
    const c = decodeCursor(since, database);
    return { since: c.since, seen: new Map(c.seen.map(([id, modified, hash]) => [id, `${modified}|${hash}`])) };
  }
  const m = LOCAL.exec(since);
  if (!m) fail('must be a cursor, a Date or a YYYY-MM-DD[ hh:mm:ss] string (Copernica local time)');
  return { since: m[4] === undefined ? `${since} 00:00:00` : since, seen: new Map() };
}

/** A short hash of what a profile holds (fields and interests). */
export function contentHash(p: Profile<object>): string {
  return createHash('sha1')
    .update(JSON.stringify([p.fields, p.interests]))
    .digest('base64url')
    .slice(0, 11);
}

/**
 * The changes stream. `list` lists the profiles of the database by key with the given `fields[]`
 * conditions (a `modified>=` bound, or none). `now` is this machine's clock.
 */
export function profileChanges<F extends FieldMap<F>>(
  database: number,
  params: ProfileChangesParams,
  list: (filters: string[], limit: number | undefined) => PageRequest<Profile<F>>,
  now: () => number = Date.now,
): ProfileChanges<F> {
  checkInput(paramsSchema, params, 'params');
  const skew = params.clockSkewMs ?? 5 * 60_000;
  const start = startOf(params.since, database);
  let cursor: string | undefined;
  let started = false;
  return {
    get cursor(): string {
      if (cursor === undefined) throw new CopernicaError('The changes() cursor is known once the stream was read to its end');
      return cursor;
    },
    async *[Symbol.asyncIterator](): AsyncGenerator<Profile<F>> {
      if (started) throw new CopernicaError('A changes() stream can be read once; call changes() again with its cursor');
      started = true;
      // Everything changed from (local time at the start - 1 h - skew) on is asked again next time.
      const next = shiftLocal(formatTimestamp(new Date(now() - skew)), -HOUR);
      const seenNext: [number, string, string][] = [];
      const filters = start.since === undefined ? [] : [`modified>=${start.since}`];
      for await (const p of list(filters, params.limit)) {
        const modified = p.modified ?? '';
        const hash = contentHash(p);
        if (modified >= next) seenNext.push([p.ID, modified, hash]);
        if (start.seen.get(p.ID) === `${modified}|${hash}`) continue;
        yield p;
      }
      cursor = encodeCursor({ v: 1, db: database, since: next, seen: seenNext });
    },
  };
}

/** A changes stream that fails on first read (bad arguments reject, they never throw synchronously). */
export function failedChanges<F extends FieldMap<F>>(error: unknown): ProfileChanges<F> {
  return {
    get cursor(): string {
      throw error;
    },
    // eslint-disable-next-line require-yield
    // biome-ignore lint/correctness/useYield: a stream that fails on its first read, and yields nothing
    async *[Symbol.asyncIterator](): AsyncGenerator<Profile<F>> {
      throw error;
    },
  };
}
