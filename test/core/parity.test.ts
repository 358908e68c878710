/**
 * A fast path keeps its twin (STYLE.md). Each piece kept for speed is run against the plain version
 * it replaces, over generated inputs:
 *
 * - the hand-written record converter (src/resources/records.ts `recordModel`) against a zod schema
 *   that says the same in zod's words, in loose and strict mode, for profiles and subprofiles;
 * - `BatchItems` (src/core/items.ts) against the async generator it replaced
 *   (`for await (const batch of source) yield* batch`), over generated batches, maps that fail,
 *   sources that fail, queued `next()` calls and early `return()`;
 * - the transport's cancel signal (src/core/cancel.ts) against AbortController, over generated
 *   sequences of added and removed listeners and aborts.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import { recordModel } from '../../src/resources/records.js';
import { ConvertFailure, degradedProperties } from '../../src/core/schema.js';
import { BatchItems } from '../../src/core/items.js';
import { Cancel, DeadlineReached } from '../../src/core/cancel.js';

// ---------------------------------------------------------------------------------------------
// The record converter and its zod twin

const DIGITS = /^-?\d+$/;
const idZ = z.union([z.number().refine(Number.isInteger), z.string().regex(DIGITS).transform(Number)]);
const dateZ = z
  .union([z.string(), z.null(), z.literal(false)])
  .optional()
  .transform((d) => (d === undefined || d === null || d === false || d === '' || d.startsWith('0000-00-00') ? null : d));
/** A value loose mode could not use (zod's `catch`): the twin's degraded property, with the raw value. */
class Raw {
  constructor(readonly raw: unknown) {}
}

/** Loose mode degrades what a schema refuses (strict refuses it). */
const degradable = (schema: z.ZodType, strict: boolean): z.ZodType =>
  strict ? schema : schema.catch((ctx: z.core.$ZodCatchCtx) => new Raw(ctx.input));

/** `fields`: PHP's empty `[]` is no field values; each value degradable on its own. */
const fieldsZ = (strict: boolean) =>
  z.preprocess(
    (f) => (Array.isArray(f) && f.length === 0 ? {} : f),
    z
      .record(z.string(), degradable(z.union([z.string(), z.number().transform(String), z.null().transform(() => '')]), strict))
      .optional()
      .transform((f) => f ?? {}),
  );
const interestsZ = z
  .array(z.union([z.string(), z.number().transform(String)]))
  .nullish()
  .transform((l) => l ?? []);

/** Degraded properties read undefined; their raw values are collected (what `degradedProperties` gives). */
function settle(o: Record<string, unknown>): Readonly<Record<string, unknown>> | undefined {
  let raw: Record<string, unknown> | undefined;
  for (const key of Object.keys(o)) {
    const v = o[key];
    if (!(v instanceof Raw)) continue;
    raw ??= {};
    raw[key] = v.raw;
    o[key] = undefined;
  }
  return raw;
}

/**
 * The plain version: `ID` read from `ID`, else `id`; the rest a zod object in the mode's strictness,
 * every property but `ID` degradable in loose mode. Gives the record and the raw values of what was
 * degraded in it and in its `fields` (a field value is degraded alone: left out of `fields`).
 */
function twin(
  refs: readonly string[],
  interests: boolean,
  strict: boolean,
): z.ZodType<{ record: Record<string, unknown>; degraded: unknown; fieldsDegraded: unknown }> {
  const shape: Record<string, z.ZodType> = {
    ID: idZ,
    secret: degradable(
      z
        .string()
        .nullish()
        .transform((s) => s ?? ''),
      strict,
    ),
    created: degradable(dateZ, strict),
    modified: degradable(dateZ, strict),
    removed: degradable(dateZ, strict),
    fields: degradable(fieldsZ(strict), strict),
  };
  for (const ref of refs) shape[ref] = degradable(idZ, strict);
  if (interests) shape.interests = degradable(interestsZ, strict);
  const object = strict ? z.strictObject(shape) : z.looseObject(shape);
  return z
    .preprocess((v) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
      const { id: lower, ...rest } = v as Record<string, unknown>;
      return { ...rest, ID: rest.ID ?? lower };
    }, object)
    .transform((o) => {
      const record = o as Record<string, unknown>;
      const degraded = settle(record);
      let fieldsDegraded: unknown;
      if (typeof record.fields === 'object' && record.fields !== null) {
        const fields = record.fields as Record<string, unknown>;
        fieldsDegraded = settle(fields);
        for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
      }
      return { record, degraded, fieldsDegraded };
    });
}

/** A value as the wire may carry it (after JSON.parse): the kinds each property may or may not accept. */
const wireValue = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.integer({ min: -5, max: 1e6 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom('', '0', '12', '-3', '007', '1.5', 'x1', '0000-00-00 00:00:00', '0000-00-00', '2024-01-02 03:04:05', 'abc'),
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom('a', 'email', 'age', '__proto__', 'constructor'),
      fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean()),
      {
        maxKeys: 4,
      },
    ),
  );

/** A well-formed value five times in six, any wire value otherwise. */
const mostly = (good: fc.Arbitrary<unknown>, odd: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 5, arbitrary: good }, { weight: 1, arbitrary: odd });

/** A record: mostly well-formed (so successes are compared as often as failures), any property may be odd. */
const record = (refs: readonly string[]) =>
  fc
    .record(
      {
        ID: mostly(fc.oneof(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 1e6 }).map(String)), wireValue()),
        id: mostly(fc.integer({ min: 1, max: 1e6 }), wireValue()),
        secret: mostly(fc.string({ unit: fc.constantFrom(...'abcdef0123456789') }), wireValue()),
        created: mostly(fc.constantFrom('2024-01-01 10:00:00', '0000-00-00 00:00:00', ''), wireValue()),
        modified: mostly(fc.constantFrom('2024-01-01 10:00:00', '0000-00-00 00:00:00'), wireValue()),
        removed: mostly(fc.constantFrom(false, null, '2024-01-01 10:00:00'), wireValue()),
        fields: mostly(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxKeys: 5 }), wireValue()),
        interests: mostly(fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }), wireValue()),
        extra: wireValue(),
        ...(Object.fromEntries(
          refs.map((r) => [
            r,
            mostly(fc.oneof(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 99 }).map(String)), wireValue()),
          ]),
        ) as Record<string, fc.Arbitrary<unknown>>),
      } as Record<string, fc.Arbitrary<unknown>>,
      { requiredKeys: ['ID', ...refs] },
    )
    .chain((r) => fc.tuple(fc.constant(r), fc.option(fc.constantFrom('{"isAdmin":true}', '"x"', '[1]', 'null'), { nil: undefined })))
    // What the converter sees: JSON.parse's own objects, where a `__proto__` key is an own data property.
    .map(([r, proto]) => {
      const text = JSON.stringify(r, (_k, v: unknown) => (v === undefined ? null : v));
      return JSON.parse(proto === undefined ? text : `{"__proto__":${proto},${text.slice(1)}`) as unknown;
    });

/** The properties the twin's issues name (an unknown key in strict mode is named by the issue's keys). */
const plainPaths = (error: z.ZodError): string[] =>
  error.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys : [String(i.path[0] ?? '')]));

describe('record converter = its zod twin (generated records)', () => {
  for (const [kind, refs, interests] of [
    ['profile', ['database'], true],
    ['subprofile', ['profile', 'collection'], false],
  ] as const) {
    for (const strict of [false, true]) {
      it(`${kind}, ${strict ? 'strict' : 'loose'}: same value, or both refuse at a property the twin names`, () => {
        const model = recordModel<string, boolean>(refs, { interests });
        const plain = twin(refs, interests, strict);
        let accepted = 0;
        let refused = 0;
        let degradedSeen = 0;
        fc.assert(
          fc.property(record(refs), fc.boolean(), (generated, onlyKnown) => {
            // Half the records keep only the properties the model knows (else strict would refuse nearly all).
            const known = new Set([
              'ID',
              'id',
              ...refs,
              'secret',
              'created',
              'modified',
              'removed',
              'fields',
              ...(interests ? ['interests'] : []),
            ]);
            const input = onlyKnown ? Object.fromEntries(Object.entries(generated as object).filter(([k]) => known.has(k))) : generated;
            const fast = model.convert!(input, strict);
            const slow = plain.safeParse(input);
            if (fast instanceof ConvertFailure) {
              refused++;
              expect(slow.success, `the twin accepted what the converter refused at ${String(fast.path)}: ${fast.message}`).toBe(false);
              expect(plainPaths(slow.error!)).toContain(fast.path === undefined ? '' : fast.path);
            } else {
              accepted++;
              expect(slow.success, slow.error?.message).toBe(true);
              expect(fast).toEqual(slow.data!.record);
              // Degraded the same properties, keeping the same raw values (loose mode; never in strict).
              expect(degradedProperties(fast as object)).toEqual(slow.data!.degraded);
              expect(degradedProperties((fast as { fields?: object }).fields ?? {})).toEqual(slow.data!.fieldsDegraded);
              if (strict) expect(slow.data!.degraded).toBeUndefined();
              if (slow.data!.degraded !== undefined || slow.data!.fieldsDegraded !== undefined) degradedSeen++;
              expect(Object.getPrototypeOf(fast)).toBe(Object.prototype);
              // The schema form of the model (what single replies use) gives the same value.
              expect((strict ? model.strict : model.loose).parse(input)).toEqual(fast);
            }
          }),
          { numRuns: 1000 },
        );
        // Both outcomes were compared often (a generator that only made failures would prove nothing).
        console.log(`${kind} ${strict ? 'strict' : 'loose'}: ${accepted} accepted, ${refused} refused by both`);
        expect(accepted).toBeGreaterThan(100);
        // Loose mode refuses only a record without a usable ID (about one in ten here); it degrades the rest.
        expect(refused).toBeGreaterThan(strict ? 100 : 40);
        if (!strict) expect(degradedSeen).toBeGreaterThan(100);
      });
    }
  }
});

// ---------------------------------------------------------------------------------------------
// BatchItems and the async generator it replaced

type Outcome = { value: unknown; done: boolean | undefined } | { error: string };

interface Scenario {
  batches: number[][];
  /** The source fails instead of handing out this batch. */
  failAt: number | undefined;
  /** The map fails at this item value. */
  mapFailsAt: number | undefined;
  /** The consumer's steps: `n` next() calls made without waiting (then all awaited), or a return(). */
  steps: ({ next: number } | { return: true })[];
}

const scenario: fc.Arbitrary<Scenario> = fc.array(fc.array(fc.nat(20), { maxLength: 4 }), { maxLength: 6 }).chain((batches) =>
  fc.record({
    batches: fc.constant(batches),
    failAt: fc.option(fc.nat(batches.length), { nil: undefined }),
    mapFailsAt: fc.option(fc.nat(20), { nil: undefined }),
    steps: fc.array(
      fc.oneof(
        { weight: 4, arbitrary: fc.record({ next: fc.integer({ min: 1, max: 4 }) }) },
        { weight: 1, arbitrary: fc.constant({ return: true as const }) },
      ),
      {
        minLength: 1,
        maxLength: 8,
      },
    ),
  }),
);

/** The source of batches, recording how far it got and whether it was closed. */
function sourceOf(s: Scenario, log: string[]): AsyncGenerator<number[]> {
  return (async function* () {
    try {
      for (let i = 0; i < s.batches.length; i++) {
        await Promise.resolve();
        if (i === s.failAt) throw new Error(`source failed at batch ${i}`);
        log.push(`pulled ${i}`);
        yield [...s.batches[i]!];
      }
    } finally {
      log.push('closed');
    }
  })();
}

const mapOf = (s: Scenario) => (raw: number) => {
  if (raw === s.mapFailsAt) throw new Error(`map failed at ${raw}`);
  return raw * 10;
};

/** The plain version BatchItems replaced. */
async function* plainItems(source: AsyncGenerator<number[]>, map: (raw: number) => number): AsyncGenerator<number> {
  for await (const batch of source) for (const raw of batch) yield map(raw);
}

async function run(iterator: AsyncIterator<number>, s: Scenario): Promise<Outcome[]> {
  const out: Outcome[] = [];
  const settle = async (p: Promise<IteratorResult<number>>) => {
    try {
      const r = await p;
      out.push({ value: r.value, done: r.done });
    } catch (error) {
      out.push({ error: (error as Error).message });
    }
  };
  for (const step of s.steps) {
    if ('return' in step) await settle(iterator.return!(undefined));
    else {
      const pending: Promise<IteratorResult<number>>[] = [];
      for (let i = 0; i < step.next; i++) pending.push(iterator.next());
      for (const p of pending) await settle(p);
    }
  }
  return out;
}

describe('BatchItems = the async generator it replaced (generated batches, failures and break points)', () => {
  it('hands out the same items, errors and ends, and closes the source at the same point', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const fastLog: string[] = [];
        const plainLog: string[] = [];
        const fast = await run(new BatchItems(sourceOf(s, fastLog), mapOf(s)), s);
        const plain = await run(plainItems(sourceOf(s, plainLog), mapOf(s)), s);
        expect(fast).toEqual(plain);
        // Let a close that was started without waiting (after a failing map) finish.
        await new Promise((r) => setTimeout(r, 0));
        expect(fastLog).toEqual(plainLog);
      }),
      { numRuns: 400 },
    );
  });

  it('without a map, hands out the source items themselves in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.integer(), { maxLength: 5 }), { maxLength: 6 }), async (batches) => {
        const gen = async function* () {
          for (const b of batches) yield [...b];
        };
        const got: number[] = [];
        for await (const n of new BatchItems<number>(gen())) got.push(n);
        expect(got).toEqual(batches.flat());
      }),
      { numRuns: 200 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The transport's cancel signal and AbortController

type CancelOp = { add: true } | { remove: number } | { abort: string };

/**
 * What the transport asks of its signal, run on the fast one and on an AbortController's signal:
 * listeners added and removed (each added once, as undici and the retry sleep do), aborts with a
 * reason (the transport always gives one). Observed: which listeners run, in which order, and
 * whether (and why) the signal fired, after every step.
 */
function observe(
  ops: readonly CancelOp[],
  make: () => {
    target: { addEventListener(t: 'abort', l: () => void): void; removeEventListener(t: 'abort', l: () => void): void };
    abort(reason: unknown): void;
    fired(): boolean;
    reason(): unknown;
  },
) {
  const s = make();
  const listeners: (() => void)[] = [];
  const trace: string[] = [];
  for (const op of ops) {
    if ('add' in op) {
      const n = listeners.length;
      const l = () => trace.push(`listener ${n}`);
      listeners.push(l);
      s.target.addEventListener('abort', l);
    } else if ('remove' in op) {
      const l = listeners[op.remove];
      if (l) s.target.removeEventListener('abort', l);
    } else s.abort(op.abort);
    trace.push(`fired=${String(s.fired())} reason=${String(s.reason())}`);
  }
  return trace;
}

describe('the cancel signal = AbortController (generated add/remove/abort sequences)', () => {
  it('runs the same listeners in the same order, once, and fires once with the first reason', () => {
    const op: fc.Arbitrary<CancelOp> = fc.oneof(
      { weight: 3, arbitrary: fc.constant({ add: true as const }) },
      { weight: 2, arbitrary: fc.nat(8).map((remove) => ({ remove })) },
      { weight: 1, arbitrary: fc.constantFrom('deadline', 'caller').map((abort) => ({ abort })) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 20 }), (ops) => {
        const fast = observe(ops, () => {
          const c = new Cancel();
          return { target: c, abort: (r) => c.abort(r), fired: () => c.fired, reason: () => c.reason };
        });
        const plain = observe(ops, () => {
          const c = new AbortController();
          return {
            target: c.signal,
            abort: (r) => c.abort(r),
            fired: () => c.signal.aborted,
            reason: () => (c.signal.aborted ? c.signal.reason : undefined),
          };
        });
        expect(fast).toEqual(plain);
      }),
      { numRuns: 1000 },
    );
  });
  it('says whether the deadline fired it: timedOut only when the first reason was the deadline', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }), (deadlineFirst) => {
        const c = new Cancel();
        for (const isDeadline of deadlineFirst) c.abort(isDeadline ? new DeadlineReached('deadline') : new Error('caller'));
        expect(c.timedOut).toBe(deadlineFirst[0]);
        expect(c.reason instanceof DeadlineReached).toBe(deadlineFirst[0]);
      }),
      { numRuns: 100 },
    );
  });
});
