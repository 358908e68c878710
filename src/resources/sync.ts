/**
 * Sync in: `client.profiles.sync(databaseId, source, params)` pushes records (a shop's or CRM's
 * customers, keyed on their own ID) into a database, creating, updating or leaving each profile,
 * and reports one outcome per record. See docs/sync.md.
 *
 * How it stays safe and cheap:
 * - one key lookup per record (`GET /database/{id}/profiles?fields[]=key==value&limit=2`), then a
 *   write only for the fields whose stored form would change (field-type-aware, sync/compare.ts);
 * - creates go through the keyed upsert `PUT /database/{id}/profiles?fields[]=key==value&create=true`:
 *   idempotent, so a retried or repeated run never makes a second profile; no blind POST;
 * - a bounded window of records in flight; outcomes come back in source order, so the checkpoint
 *   (the count of outcomes handed over) is always a contiguous prefix of the source;
 * - a key seen twice in one run is reported as failed for the later record, never raced.
 */
import { z } from 'zod';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/config.js';
import { checkRequestOptions } from '../core/config.js';
import {
  AbortError,
  CopernicaError,
  ValidationError,
  isAbortError,
  isConnectionError,
  isCopernicaError,
  isRateLimitError,
  isServerError,
  isValidationError,
} from '../core/errors.js';
import { where } from '../core/filter.js';
import { degradedProperties } from '../core/schema.js';
import { checkInput } from '../core/input.js';
import { path, param, toId, type Id } from '../core/path.js';
import type { Core } from '../core/transport.js';
import { FieldSchema, type Field } from './fields.js';
import { ProfileModel, type Profile } from './profiles.js';
import { SubprofileModel, type Subprofile } from './subprofiles.js';
import type { RecordFieldInput, RecordFieldValues, FieldMap } from './records.js';
import { checkCheckpointState, type SyncCheckpoint, type SyncCheckpointState } from './sync/checkpoint.js';
import { fieldsByName, isEmptyStored, keyIdentity, normaliseInput, normaliseStored } from './sync/compare.js';

export { MemoryCheckpoint, FileCheckpoint } from './sync/checkpoint.js';
export type { SyncCheckpoint, SyncCheckpointState } from './sync/checkpoint.js';

/**
 * The sub-item field maps of a sync (`{ orders: Order }`): property name → the collection's field
 * map, each value type `string` like every {@link FieldMap}.
 */
export type SubprofileFieldMaps<S> = { [P in keyof S]: FieldMap<S[P]> };

/**
 * One source record: field values (string or number; a missing or `undefined` value is left alone)
 * plus, under the property names of `params.subprofiles`, arrays of sub-items.
 */
export type SyncRecord<F extends FieldMap<F> = RecordFieldValues, S extends SubprofileFieldMaps<S> = {}> = RecordFieldInput<F> & {
  readonly [P in keyof S]?: readonly RecordFieldInput<S[P]>[];
};

/** Where the sub-items of a record go: a collection of the database, matched by their own key within the profile. */
export interface SyncSubprofileParams<SF extends FieldMap<SF> = RecordFieldValues> {
  /** Collection ID. */
  collection: Id;
  /** The field of the collection that identifies a sub-item within its profile (e.g. `ordernumber`). */
  key: keyof SF & string;
  /** Create sub-items that do not exist yet (default true). */
  create?: boolean;
  /** Fields never overwritten when they hold a non-empty value. */
  preserve?: readonly (keyof SF & string)[];
}

/** Progress of a run, given to `onProgress` after every outcome. */
export interface SyncProgress extends SyncCounts {
  /** Outcomes handed over so far in this run. */
  done: number;
  /** Records skipped at the start because the checkpoint said they were done. */
  resumedAt: number;
}

/** Outcomes of a run (or of its sub-items) counted by status. */
export interface SyncCounts {
  /** Records (sub-items) created. */
  created: number;
  /** Records (sub-items) whose changed fields were written. */
  updated: number;
  /** Records (sub-items) already equal to the source: nothing written. */
  unchanged: number;
  /** Records (sub-items) not created because `create` is false (`reason: 'not_found'`). */
  skipped: number;
  /** Records (sub-items) that failed (the outcome carries the error). */
  failed: number;
}

/** Parameters of `client.profiles.sync()`. */
export interface SyncParams<F extends FieldMap<F> = RecordFieldValues, S extends SubprofileFieldMaps<S> = {}> {
  /** The field that identifies a customer (e.g. `customerId` or `email`); every record must have a non-empty value. */
  key: keyof F & string;
  /** Records in flight at once, 1 to 32 (default 8). */
  concurrency?: number;
  /** Report what would change and write nothing (lookups still run). */
  dryRun?: boolean;
  /** `false`: never create a profile; records without one are `skipped`. Default true. */
  create?: boolean;
  /** Fields never overwritten when they already hold a non-empty value (they are still written on create). */
  preserve?: readonly (keyof F & string)[];
  /** Called after every outcome, in source order. */
  onProgress?: (progress: SyncProgress) => void;
  /** Where progress is kept, so a run that died resumes after the last record whose outcome is final. */
  checkpoint?: SyncCheckpoint;
  /** Save the checkpoint every N outcomes (default 100); it is also saved when the run stops or ends. */
  checkpointEvery?: number;
  /**
   * Times a record is tried again from its lookup after a transient failure that outlived the
   * call's own retries (5xx, 429, connection error, timeout), 0 to 10 (default 3).
   */
  retries?: number;
  /** Sub-items per record property: `{ orders: { collection: 33, key: 'ordernumber' } }`. */
  subprofiles?: { readonly [P in keyof S]: SyncSubprofileParams<S[P]> };
}

/** One changed field: its stored value and the value written. */
export interface SyncChange<N extends string = string> {
  /** The field that changed. */
  field: N;
  /** The stored value before (as Copernica returned it; `''` on create). */
  from: string;
  /** The value written, in Copernica's stored form. */
  to: string;
}

/** The outcome of one sub-item. */
export interface SyncSubprofileOutcome {
  /** The record property the sub-item came from (e.g. `orders`). */
  property: string;
  /** The sub-item's key value. */
  key: string;
  /** What happened to the sub-item (as {@link SyncOutcome}'s `status`). */
  status: 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed';
  /** Subprofile ID (undefined for a dry-run create or a failure before it existed). */
  id: number | undefined;
  /** Fields written (`created`: every field given; `updated`: those that changed). */
  changes: SyncChange[];
  /** Why it failed (`status: 'failed'`). */
  error?: CopernicaError;
}

/** What every {@link SyncOutcome} has, whatever its status. */
export interface SyncOutcomeBase<F extends FieldMap<F> = RecordFieldValues> {
  /** Position of the record in the source (0-based, counted from the start of the source, also on a resumed run). */
  index: number;
  /** The record's key value (`''` when it had none). */
  key: string;
  /** Profile ID, when one exists (or was made). */
  id: number | undefined;
  /** Fields written (`created`: every field given; `updated`: those that changed). */
  changes: SyncChange<keyof F & string>[];
  /** Sub-item outcomes, when the record carried sub-items. */
  subprofiles: SyncSubprofileOutcome[];
  /** True in a dry run: nothing was written. */
  dryRun: boolean;
}

/** The outcome of one source record. */
export type SyncOutcome<F extends FieldMap<F> = RecordFieldValues> =
  | (SyncOutcomeBase<F> & {
      /** No profile had the key: one was created. */
      status: 'created';
    })
  | (SyncOutcomeBase<F> & {
      /** The profile existed; the fields that changed were written. */
      status: 'updated';
    })
  | (SyncOutcomeBase<F> & {
      /** The profile already held every value: nothing was written. */
      status: 'unchanged';
    })
  | (SyncOutcomeBase<F> & {
      /** Nothing was written. */
      status: 'skipped';
      /** No profile had the key and `create` is false. */
      reason: 'not_found';
    })
  | (SyncOutcomeBase<F> & {
      /** The record could not be synced (after the retries). */
      status: 'failed';
      /** Why. */
      error: CopernicaError;
    });

/** The summary of a run. */
export interface SyncSummary extends SyncProgress {
  /** Whether nothing was written. */
  dryRun: boolean;
  /** Sub-item counts. */
  subprofiles: SyncCounts;
  /** Wall time of the run in milliseconds. */
  durationMs: number;
}

/** A running sync: `for await` over its outcomes, or `await run.summary()` to drain it. Iterable once. */
export interface SyncRun<F extends FieldMap<F> = RecordFieldValues> extends AsyncIterable<SyncOutcome<F>> {
  /** Runs the rest of the sync (or all of it) and gives the summary; outcomes not iterated are dropped. */
  summary(): Promise<SyncSummary>;
}

const idInput = z.union([z.number(), z.string()]);
const subOptionsSchema = z.strictObject({
  collection: idInput,
  key: z.string().min(1, 'must name a field'),
  create: z.boolean().optional(),
  preserve: z.array(z.string().min(1)).optional(),
});
const optionsSchema = z.strictObject({
  key: z.string({ error: 'required: the field that identifies a record' }).min(1, 'must name a field'),
  concurrency: z.number().int('must be an integer').min(1, 'must be 1 to 32').max(32, 'must be 1 to 32').optional(),
  dryRun: z.boolean().optional(),
  create: z.boolean().optional(),
  preserve: z.array(z.string().min(1, 'field names must not be empty')).optional(),
  onProgress: z.custom<(p: SyncProgress) => void>((v) => typeof v === 'function', 'must be a function').optional(),
  checkpoint: z
    .custom<SyncCheckpoint>(
      (v) =>
        typeof v === 'object' &&
        v !== null &&
        typeof (v as SyncCheckpoint).load === 'function' &&
        typeof (v as SyncCheckpoint).save === 'function',
      'must have load() and save()',
    )
    .optional(),
  checkpointEvery: z.number().int('must be an integer').min(1, 'must be at least 1').optional(),
  retries: z.number().int('must be an integer').min(0, 'must be 0 to 10').max(10, 'must be 0 to 10').optional(),
  subprofiles: z.record(z.string().min(1), subOptionsSchema).optional(),
});

type CheckedOptions = z.output<typeof optionsSchema>;

/** A record checked against the field definitions, ready to compare. */
interface Prepared {
  index: number;
  key: string;
  identity: string;
  values: Map<string, { def: Field; value: string }>;
  subs: { property: string; cfg: SubTarget; items: Prepared[] }[];
  issues: string[];
}

interface SubTarget {
  property: string;
  collection: number;
  keyDef: Field;
  defs: Map<string, Field>;
  create: boolean;
  preserve: Set<string>;
}

interface RunContext {
  database: number;
  keyDef: Field;
  defs: Map<string, Field>;
  preserve: Set<string>;
  create: boolean;
  dryRun: boolean;
  subs: Map<string, SubTarget>;
  retries: number;
  options: RequestOptions | undefined;
}

const EMPTY_SUB_COUNTS = () => ({ created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 });

function describeValue(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

/** Checks a record's (or sub-item's) values against the definitions; collects issues instead of throwing. */
function prepare(
  index: number,
  record: unknown,
  keyDef: Field,
  defs: Map<string, Field>,
  subs: Map<string, SubTarget> | undefined,
  label: string,
): Prepared {
  const out: Prepared = { index, key: '', identity: '', values: new Map(), subs: [], issues: [] };
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    out.issues.push(`${label}: must be an object of field values, got ${describeValue(record)}`);
    return out;
  }
  for (const [name, raw] of Object.entries(record as Record<string, unknown>)) {
    if (raw === undefined) continue;
    const sub = subs?.get(name);
    if (sub) {
      if (!Array.isArray(raw)) {
        out.issues.push(`${label}.${name}: must be an array of sub-items, got ${describeValue(raw)}`);
        continue;
      }
      const items = raw.map((item, i) => prepare(i, item, sub.keyDef, sub.defs, undefined, `${label}.${name}[${i}]`));
      out.subs.push({ property: name, cfg: sub, items });
      continue;
    }
    const def = defs.get(name.toLowerCase());
    if (!def) {
      out.issues.push(
        `${label}.${name}: the ${subs ? 'database' : 'collection'} has no field ${JSON.stringify(name)} (Copernica would drop it silently)`,
      );
      continue;
    }
    if (out.values.has(def.name)) {
      out.issues.push(`${label}.${name}: field ${JSON.stringify(def.name)} is given twice (names differ only in case)`);
      continue;
    }
    if (typeof raw !== 'string' && !(typeof raw === 'number' && Number.isFinite(raw))) {
      out.issues.push(`${label}.${name}: must be a string or a finite number, got ${describeValue(raw)}`);
      continue;
    }
    const n = normaliseInput(def, raw);
    if (!n.ok) out.issues.push(`${label}.${name}: ${n.issue}`);
    else out.values.set(def.name, { def, value: n.value });
  }
  const key = out.values.get(keyDef.name);
  if (!key || key.value === '') out.issues.push(`${label}.${keyDef.name}: the key field must have a non-empty value`);
  else {
    out.key = key.value;
    out.identity = keyIdentity(keyDef, key.value);
  }
  return out;
}

/**
 * The stored field values a sync compares with: refused when the reply's `fields`, or a value the sync
 * needs, could not be used (degraded in the default reply mode, and warned): a value that could not be
 * read is never taken for empty (no write over a preserved value, no second sub-item for a key that
 * could not be matched).
 */
function readableFields(
  record: { ID: number; fields?: RecordFieldValues | undefined },
  needs: Prepared | readonly string[],
  what: string,
): Record<string, string> {
  const fields = record.fields;
  const unusable = fields === undefined ? undefined : degradedProperties(fields);
  const names = Array.isArray(needs) ? (needs as readonly string[]) : [...(needs as Prepared).values.values()].map((v) => v.def.name);
  const lower = new Set(Object.keys(unusable ?? {}).map((k) => k.toLowerCase()));
  const bad = fields === undefined ? 'its fields' : names.find((n) => lower.has(n.toLowerCase()));
  if (bad === undefined) return fields as Record<string, string>;
  const which = fields === undefined ? bad : `field ${JSON.stringify(bad)}`;
  throw new CopernicaError(
    `The reply's ${which} of ${what} ${record.ID} could not be used (see the logger's warning): not compared, nothing written over it`,
  );
}

function invalid(issues: string[], what: string): ValidationError {
  return new ValidationError(`Invalid ${what}: ${issues.join('; ')}`, issues);
}

/** `client.sync`: sync records into Copernica. */
export class Sync extends APIResource {
  /** @internal */
  constructor(core: Core) {
    super(core);
  }

  /**
   * Syncs records into the profiles of a database, keyed on one field. Each record is looked up
   * by its key; a missing profile is created (a keyed upsert, never a blind POST), an existing one
   * gets only the fields whose stored value would change, and an equal one costs no write. Sub-items
   * (orders, …) are matched by their own key within the profile. Outcomes stream in source order.
   *
   * @example
   * import { FileCheckpoint } from 'copernica-rest';
   * const run = client.profiles.sync<Customer>(12, readCustomers(), { key: 'customerId', checkpoint: new FileCheckpoint('sync.json') });
   * for await (const o of run) if (o.status === 'failed') console.error(o.index, o.error.message);
   * console.log(await run.summary());
   */
  profiles<F extends FieldMap<F> = RecordFieldValues, S extends SubprofileFieldMaps<S> = {}>(
    databaseId: Id,
    source: Iterable<SyncRecord<NoInfer<F>, NoInfer<S>>> | AsyncIterable<SyncRecord<NoInfer<F>, NoInfer<S>>>,
    params: SyncParams<NoInfer<F>, NoInfer<S>>,
    options?: RequestOptions,
  ): SyncRun<F> {
    let setup: { database: number; options: CheckedOptions; requestOptions: RequestOptions | undefined } | undefined;
    let setupError: unknown;
    try {
      const db = toId(databaseId, 'databaseId');
      const isIterable = source !== null && typeof source === 'object' && (Symbol.asyncIterator in source || Symbol.iterator in source);
      if (!isIterable)
        throw new ValidationError('Invalid source: must be an iterable or async iterable of records', [
          'source: must be an iterable or async iterable of records',
        ]);
      const checked = checkInput(optionsSchema, params, 'params');
      for (const [prop, sub] of Object.entries(checked.subprofiles ?? {})) toId(sub.collection, `params.subprofiles.${prop}.collection`);
      setup = { database: db, options: checked, requestOptions: checkRequestOptions(options) };
    } catch (error) {
      setupError = error;
    }
    let started = false;
    let summary: SyncSummary | undefined;
    let generator: AsyncGenerator<SyncOutcome<F>> | undefined;
    const iterate = (): AsyncGenerator<SyncOutcome<F>> => {
      if (started) throw new CopernicaError('A sync run can be iterated once');
      started = true;
      if (!setup) {
        const error = setupError;
        // eslint-disable-next-line require-yield
        // biome-ignore lint/correctness/useYield: a stream that fails on its first read, and yields nothing
        return (async function* () {
          throw error;
        })();
      }
      generator = this.#run<F>(
        setup.database,
        source as Iterable<unknown> | AsyncIterable<unknown>,
        setup.options,
        setup.requestOptions,
        (s) => {
          summary = s;
        },
      );
      return generator;
    };
    return {
      [Symbol.asyncIterator]: iterate,
      async summary(): Promise<SyncSummary> {
        if (!started) iterate();
        if (generator) for (;;) if ((await generator.next()).done) break;
        if (!summary) throw setupError ?? new CopernicaError('The sync run did not finish');
        return summary;
      },
    };
  }

  async *#run<F extends FieldMap<F>>(
    database: number,
    source: Iterable<unknown> | AsyncIterable<unknown>,
    o: CheckedOptions,
    options: RequestOptions | undefined,
    done: (s: SyncSummary) => void,
  ): AsyncGenerator<SyncOutcome<F>> {
    const t0 = performance.now();
    const signal = options?.signal;
    // ---- checkpoint and field definitions (before any write)
    let state: SyncCheckpointState | undefined;
    if (o.checkpoint) {
      const loaded = await o.checkpoint.load();
      state = loaded === undefined ? undefined : checkCheckpointState(loaded, 'state');
      if (state && (state.database !== database || state.key !== o.key)) {
        throw invalid(
          [
            `checkpoint: it belongs to database ${state.database}, key ${JSON.stringify(state.key)}, not database ${database}, key ${JSON.stringify(o.key)}`,
          ],
          'checkpoint',
        );
      }
    }
    const resumedAt = state && !state.complete ? state.position : 0;
    const ctx = await this.#context(database, o, options);

    const counts = { created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 };
    const subCounts = EMPTY_SUB_COUNTS();
    let position = resumedAt;
    let savedAt = position;
    const every = o.checkpointEvery ?? 100;
    const save = async (complete: boolean): Promise<void> => {
      if (!o.checkpoint) return;
      savedAt = position;
      await o.checkpoint.save({ version: 1, database, key: o.key, position, complete, savedAt: new Date().toISOString() });
    };

    // ---- the source
    const it: Iterator<unknown> | AsyncIterator<unknown> =
      Symbol.asyncIterator in (source as object)
        ? (source as AsyncIterable<unknown>)[Symbol.asyncIterator]()
        : (source as Iterable<unknown>)[Symbol.iterator]();
    let sourceDone = false;
    let sourceError: { error: unknown } | undefined;
    let readIndex = 0;
    for (; readIndex < resumedAt; readIndex++) {
      const r = await it.next();
      if (r.done) {
        sourceDone = true;
        break;
      }
    }

    const concurrency = o.concurrency ?? 8;
    const windowSize = concurrency * 4;
    // Records in flight by index, and the outcomes that came back but are not handed over yet
    // (outcomes go out in source order). A settling record wakes the loop; no promise race per record.
    const tasks = new Map<number, Promise<void>>();
    const results = new Map<number, SyncOutcome<F>>();
    // Every key of the run (lower-cased where Copernica compares case-insensitively), so a second
    // record with a key is reported wherever it comes in the source: one entry per record, by design.
    const seen = new Map<string, number>();
    let running = 0;
    let wake: (() => void) | undefined;
    const settle = (index: number, outcome: SyncOutcome<F>): void => {
      results.set(index, outcome);
      tasks.delete(index);
      running--;
      const w = wake;
      wake = undefined;
      w?.();
    };
    let nextYield = readIndex;
    let completed = false;
    try {
      for (;;) {
        while (!sourceDone && running < concurrency && readIndex - nextYield < windowSize && !signal?.aborted) {
          let r: IteratorResult<unknown>;
          try {
            r = await it.next();
          } catch (error) {
            sourceError = { error };
            sourceDone = true;
            break;
          }
          if (r.done) {
            sourceDone = true;
            break;
          }
          const index = readIndex++;
          const p = prepare(index, r.value, ctx.keyDef, ctx.defs, ctx.subs, `record[${index}]`);
          if (p.issues.length === 0) {
            const first = seen.get(p.identity);
            if (first !== undefined)
              p.issues.push(
                `record[${index}].${ctx.keyDef.name}: duplicate key ${JSON.stringify(p.key)} (record ${first} has it too); not written`,
              );
            else seen.set(p.identity, index);
          }
          running++;
          if (p.issues.length) settle(index, this.#failed<F>(p, invalid(p.issues, `record ${index}`), ctx));
          else {
            tasks.set(
              index,
              this.#one<F>(p, ctx).then(
                (outcome) => settle(index, outcome),
                (error: unknown) => settle(index, this.#failed<F>(p, error, ctx)),
              ),
            );
          }
        }
        if (nextYield === readIndex) {
          if (sourceDone || signal?.aborted) break;
          continue;
        }
        const outcome = results.get(nextYield);
        if (outcome === undefined) {
          // Wait for any record to settle (the head, or a slot that frees up to read ahead meanwhile).
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          continue;
        }
        results.delete(nextYield);
        if (outcome.status === 'failed' && isAbortError(outcome.error) && signal?.aborted) throw outcome.error;
        nextYield++;
        counts[outcome.status]++;
        for (const s of outcome.subprofiles) subCounts[s.status]++;
        position++;
        o.onProgress?.({ done: position - resumedAt, resumedAt, ...counts });
        yield outcome;
        if (o.checkpoint && position - savedAt >= every) await save(false);
      }
      if (signal?.aborted) throw new AbortError('The sync was aborted', { cause: signal.reason });
      if (sourceError) throw sourceError.error;
      completed = true;
      await save(true);
      done({
        done: position - resumedAt,
        resumedAt,
        ...counts,
        dryRun: ctx.dryRun,
        subprofiles: subCounts,
        durationMs: Math.round(performance.now() - t0),
      });
    } finally {
      // Nothing keeps running behind the caller's back: in-flight records settle before the run ends.
      await Promise.allSettled(tasks.values());
      if (!completed) {
        await save(false).catch(() => undefined);
        if (!sourceDone) await (it.return?.() as Promise<unknown> | undefined)?.catch(() => undefined);
      }
    }
  }

  /** Field definitions and checked options. Unknown key, preserve and sub-item fields are refused here, before any write. */
  async #context(database: number, o: CheckedOptions, options: RequestOptions | undefined): Promise<RunContext> {
    const retries = o.retries ?? 3;
    const defs = fieldsByName(await this.#fields(path`/database/${param.id(database, 'database')}/fields`, retries, options));
    const issues: string[] = [];
    const keyDef = defs.get(o.key.toLowerCase());
    if (!keyDef) issues.push(`params.key: the database has no field ${JSON.stringify(o.key)}`);
    for (const f of o.preserve ?? [])
      if (!defs.has(f.toLowerCase())) issues.push(`params.preserve: the database has no field ${JSON.stringify(f)}`);
    const subs = new Map<string, SubTarget>();
    for (const [property, s] of Object.entries(o.subprofiles ?? {})) {
      const collection = toId(s.collection, `params.subprofiles.${property}.collection`);
      const cdefs = fieldsByName(await this.#fields(path`/collection/${param.id(collection, 'collection')}/fields`, retries, options));
      const k = cdefs.get(s.key.toLowerCase());
      if (!k) issues.push(`params.subprofiles.${property}.key: the collection has no field ${JSON.stringify(s.key)}`);
      for (const f of s.preserve ?? [])
        if (!cdefs.has(f.toLowerCase()))
          issues.push(`params.subprofiles.${property}.preserve: the collection has no field ${JSON.stringify(f)}`);
      if (defs.has(property.toLowerCase())) issues.push(`params.subprofiles: ${JSON.stringify(property)} is also a field of the database`);
      if (k)
        subs.set(property, {
          property,
          collection,
          keyDef: k,
          defs: cdefs,
          create: s.create ?? true,
          preserve: new Set((s.preserve ?? []).map((f) => cdefs.get(f.toLowerCase())?.name ?? f)),
        });
    }
    if (issues.length || !keyDef) throw invalid(issues, 'sync options');
    return {
      database,
      keyDef,
      defs,
      preserve: new Set((o.preserve ?? []).map((f) => defs.get(f.toLowerCase())?.name ?? f)),
      create: o.create ?? true,
      dryRun: o.dryRun ?? false,
      subs,
      retries,
      options,
    };
  }

  /**
   * The field definitions a run compares with, read again after a transient failure that outlived
   * the call's own retries, as a record is (`retries`): a run must not fail on one unlucky read.
   */
  async #fields(p: string, retries: number, options: RequestOptions | undefined): Promise<Field[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        const out: Field[] = [];
        for await (const f of this._list(p, FieldSchema, { options })) out.push(f);
        return out;
      } catch (error) {
        if (attempt >= retries || !isTransient(error) || options?.signal?.aborted) throw error;
        await backoff(attempt);
      }
    }
  }

  #failed<F extends FieldMap<F>>(
    p: Prepared,
    error: unknown,
    ctx: RunContext,
    id?: number,
    subprofiles: SyncSubprofileOutcome[] = [],
  ): SyncOutcome<F> {
    const e = isCopernicaError(error)
      ? error
      : new CopernicaError(error instanceof Error ? error.message : String(error), { cause: error });
    return { status: 'failed', index: p.index, key: p.key, id, changes: [], subprofiles, dryRun: ctx.dryRun, error: e };
  }

  /**
   * One record, tried again (from its lookup) after a transient failure: a 5xx, 429, connection
   * error or timeout that outlived the call's own retries (a stalled body uses up a call's deadline).
   * Every step is idempotent (lookup, keyed upsert, field PUT, sub-item create after a re-list), so
   * a repeat never duplicates anything.
   */
  async #one<F extends FieldMap<F>>(p: Prepared, ctx: RunContext): Promise<SyncOutcome<F>> {
    const memo = { created: false };
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.#attempt<F>(p, ctx, memo);
      if (outcome.status !== 'failed' || attempt >= ctx.retries || !isTransient(outcome.error) || ctx.options?.signal?.aborted)
        return outcome;
      await backoff(attempt);
    }
  }

  /** One record: look up, compare, write. Never rejects: a failure is a `failed` outcome. */
  async #attempt<F extends FieldMap<F>>(p: Prepared, ctx: RunContext, memo: { created: boolean }): Promise<SyncOutcome<F>> {
    let id: number | undefined;
    try {
      const keyFilter = where.eq(ctx.keyDef.name, p.key).expression;
      const found = await this.#lookup(ctx, keyFilter);
      if (found.length > 1) {
        return this.#failed<F>(
          p,
          invalid(
            [`record[${p.index}].${ctx.keyDef.name}: ${found.length} profiles match ${JSON.stringify(p.key)}; the sync does not pick one`],
            `record ${p.index}`,
          ),
          ctx,
        );
      }
      const base = { index: p.index, key: p.key, dryRun: ctx.dryRun };
      let status: 'created' | 'updated' | 'unchanged';
      let changes: SyncChange<keyof F & string>[];
      let isNew = false;
      if (found.length === 0) {
        if (!ctx.create) return { ...base, status: 'skipped', reason: 'not_found', id: undefined, changes: [], subprofiles: [] };
        changes = [...p.values.values()].map(({ def, value }) => ({ field: def.name as keyof F & string, from: '', to: value }));
        status = 'created';
        isNew = true;
        if (!ctx.dryRun) {
          const body = Object.fromEntries([...p.values.values()].map(({ def, value }) => [def.name, value]));
          const res = await this._core.call({
            method: 'PUT',
            path: path`/database/${param.id(ctx.database, 'database')}/profiles`,
            query: { fields: [keyFilter], create: true },
            body,
            responseType: 'none',
            options: ctx.options,
          });
          // `X-Created` says the upsert created the profile (spec/OBSERVED.md "Writes"). Without it the
          // profile existed by the time the upsert arrived (e.g. a retried first attempt had created
          // it): the upsert updated it, so its subprofiles must be looked up.
          memo.created = true;
          const created = res.header('x-created');
          id = created !== undefined && /^\d+$/.test(created) ? Number(created) : undefined;
          if (id === undefined) isNew = false;
          if (id === undefined && p.subs.length) {
            const again = await this.#lookup(ctx, keyFilter);
            if (again.length !== 1)
              throw new CopernicaError(
                `The profile with ${ctx.keyDef.name} ${JSON.stringify(p.key)} was written, but ${again.length} profiles match it now`,
              );
            id = again[0]!.ID;
          }
        }
      } else {
        const profile = found[0]!;
        id = profile.ID;
        changes = this.#diff(p, readableFields(profile, p, 'profile'), ctx.defs, ctx.preserve) as SyncChange<keyof F & string>[];
        status = memo.created ? 'created' : changes.length ? 'updated' : 'unchanged';
        if (memo.created) isNew = false;
        if (changes.length && !ctx.dryRun) {
          const body = Object.fromEntries(changes.map((c) => [c.field, c.to]));
          await this._write('PUT', path`/profile/${param.id(id, 'profileId')}/fields`, { body, options: ctx.options });
        }
      }
      const subprofiles: SyncSubprofileOutcome[] = [];
      for (const group of p.subs) subprofiles.push(...(await this.#subs(group, id, isNew, ctx)));
      const failedSub = subprofiles.find((s) => s.status === 'failed');
      if (failedSub) return this.#failed<F>(p, failedSub.error, ctx, id, subprofiles);
      if (status === 'unchanged' && subprofiles.some((s) => s.status === 'created' || s.status === 'updated')) status = 'updated';
      return { ...base, status, id, changes, subprofiles };
    } catch (error) {
      return this.#failed<F>(p, error, ctx, id);
    }
  }

  async #lookup(ctx: RunContext, keyFilter: string): Promise<Profile[]> {
    const p = path`/database/${param.id(ctx.database, 'database')}/profiles`;
    const page = await this._list(p, ProfileModel, {
      query: { fields: [keyFilter] },
      params: { limit: 2, total: false },
      options: ctx.options,
    });
    return page.data;
  }

  #diff(p: Prepared, stored: Record<string, string>, defs: Map<string, Field>, preserve: Set<string>): SyncChange[] {
    const storedByName = new Map(Object.entries(stored).map(([k, v]) => [k.toLowerCase(), v]));
    const changes: SyncChange[] = [];
    for (const { def, value } of p.values.values()) {
      const before = storedByName.get(def.name.toLowerCase());
      if (normaliseStored(def, before) === value) continue;
      if (preserve.has(def.name) && !isEmptyStored(def, before)) continue;
      changes.push({ field: def.name, from: before ?? '', to: value });
    }
    void defs;
    return changes;
  }

  /** The sub-items of one record in one collection, matched by their key within the profile. */
  async #subs(
    group: Prepared['subs'][number],
    profileId: number | undefined,
    isNew: boolean,
    ctx: RunContext,
  ): Promise<SyncSubprofileOutcome[]> {
    const { cfg, items, property } = group;
    const out: SyncSubprofileOutcome[] = [];
    const base = (item: Prepared) => ({ property, key: item.key, changes: [] as SyncChange[] });
    let existing = new Map<string, Subprofile[]>();
    const load = async () => {
      const list = (
        await this._list(
          path`/profile/${param.id(profileId as number, 'profileId')}/subprofiles/${param.id(cfg.collection, 'collection')}`,
          SubprofileModel,
          { options: ctx.options, paged: false },
        )
      ).data;
      const m = new Map<string, Subprofile[]>();
      for (const s of list) {
        const k = keyIdentity(cfg.keyDef, normaliseStored(cfg.keyDef, readableFields(s, [cfg.keyDef.name], 'subprofile')[cfg.keyDef.name]));
        m.set(k, [...(m.get(k) ?? []), s]);
      }
      return m;
    };
    if (profileId !== undefined && !isNew) existing = await load();
    const seen = new Set<string>();
    for (const item of items) {
      if (item.issues.length === 0 && seen.has(item.identity))
        item.issues.push(
          `${property}[${item.index}].${cfg.keyDef.name}: duplicate key ${JSON.stringify(item.key)} within the record; not written`,
        );
      seen.add(item.identity);
      if (item.issues.length) {
        out.push({ ...base(item), status: 'failed', id: undefined, error: invalid(item.issues, `${property}[${item.index}]`) });
        continue;
      }
      const matches = existing.get(item.identity) ?? [];
      try {
        if (matches.length > 1) {
          out.push({
            ...base(item),
            status: 'failed',
            id: undefined,
            error: invalid(
              [`${property}[${item.index}]: ${matches.length} subprofiles match ${JSON.stringify(item.key)}; the sync does not pick one`],
              `${property}[${item.index}]`,
            ),
          });
        } else if (matches.length === 1) {
          const s = matches[0]!;
          const changes = this.#diff(item, readableFields(s, item, 'subprofile'), cfg.defs, cfg.preserve);
          if (changes.length && !ctx.dryRun) {
            await this._write('PUT', path`/subprofile/${param.id(s.ID, 'subprofileId')}/fields`, {
              body: Object.fromEntries(changes.map((c) => [c.field, c.to])),
              options: ctx.options,
            });
          }
          out.push({ ...base(item), status: changes.length ? 'updated' : 'unchanged', id: s.ID, changes });
        } else if (!cfg.create) {
          out.push({ ...base(item), status: 'skipped', id: undefined });
        } else {
          const changes = [...item.values.values()].map(({ def, value }) => ({ field: def.name, from: '', to: value }));
          let id: number | undefined;
          if (!ctx.dryRun) id = await this.#createSub(cfg, profileId as number, item, ctx, load);
          out.push({ ...base(item), status: 'created', id, changes });
        }
      } catch (error) {
        out.push({
          ...base(item),
          status: 'failed',
          id: undefined,
          error: isCopernicaError(error) ? error : new CopernicaError(String(error), { cause: error }),
        });
      }
    }
    return out;
  }

  /**
   * Creates a sub-item with a POST (the only create v1 documents for one profile's subprofiles). A
   * POST is never retried blindly: after a failure whose effect is unknown, the profile's sub-items
   * are listed again, and the POST is repeated only when the sub-item is not there.
   */
  async #createSub(
    cfg: SubTarget,
    profileId: number,
    item: Prepared,
    ctx: RunContext,
    load: () => Promise<Map<string, Subprofile[]>>,
  ): Promise<number | undefined> {
    const body = Object.fromEntries([...item.values.values()].map(({ def, value }) => [def.name, value]));
    const p = path`/profile/${param.id(profileId, 'profileId')}/subprofiles/${param.id(cfg.collection, 'collection')}`;
    for (let attempt = 0; ; attempt++) {
      try {
        return (await this._write('POST', p, { body, options: ctx.options })).id;
      } catch (error) {
        if (attempt >= 2 || isValidationError(error) || isAbortError(error) || !isCopernicaError(error) || isClientError(error))
          throw error;
        const now = (await load()).get(item.identity);
        if (now?.length) return now[0]!.ID;
      }
    }
  }
}

/** The wait before another try of a record or a definitions read: 100 ms doubling up to 2 s, with jitter. */
function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(2000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2)));
}

function isTransient(error: unknown): boolean {
  return isConnectionError(error) || isServerError(error) || isRateLimitError(error);
}

function isClientError(error: unknown): boolean {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429;
}
