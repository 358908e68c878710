import { ValidationError } from './errors.js';

/**
 * Item-by-item iteration over a source of batches (pages of a list, chunks of logfile rows).
 *
 * An `async function*` that does `yield* page.data` pays for every item with the generator
 * machinery (an await per `yield`, several promises and closures): measured on a 400,000-row
 * logfile, ~670 bytes of garbage per row, half of everything `records()` allocated. This iterator
 * hands out an item that is already here as one resolved promise and one result object, and only
 * goes to the source when a batch is used up. Less garbage means fewer young-generation
 * collections and less for V8 to grow the young generation for (BENCHMARKS.md, memory).
 *
 * It behaves like the generator it replaces: calls to `next()` made without waiting are answered in
 * order; `return()` (what `break` calls) closes the source, which stops its download; after the
 * source fails or ends, `next()` answers `done`. The source's batches are taken over: entries are
 * cleared as they are handed out.
 */
export class BatchItems<T, S = T> implements AsyncIterableIterator<T> {
  readonly #source: AsyncIterator<S[]>;
  readonly #map: ((raw: S) => T) | undefined;
  #batch: S[] = [];
  #index = 0;
  #done = false;
  /** The latest call that had to wait for the source; later calls queue behind it. */
  #queue: Promise<IteratorResult<T>> | undefined;

  /**
   * @param map turns a raw item into the item handed out, when it is handed out (so a batch holds
   *   raw items only, and a failure surfaces at the item that caused it). It may throw.
   */
  constructor(source: AsyncIterator<S[]>, map?: (raw: S) => T) {
    this.#source = source;
    this.#map = map;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#queue === undefined) {
      if (this.#index < this.#batch.length) {
        try {
          return Promise.resolve({ value: this.#item(), done: false });
        } catch (error) {
          return Promise.reject(error as Error);
        }
      }
      if (this.#done) return Promise.resolve({ value: undefined, done: true });
    }
    const step = () => this.#step();
    const p = this.#queue === undefined ? this.#step() : this.#queue.then(step, step);
    this.#queue = p;
    const settle = () => {
      if (this.#queue === p) this.#queue = undefined;
    };
    p.then(settle, settle);
    return p;
  }

  async #step(): Promise<IteratorResult<T>> {
    while (this.#index >= this.#batch.length) {
      if (this.#done) return { value: undefined, done: true };
      let r: IteratorResult<S[]>;
      try {
        r = await this.#source.next();
      } catch (error) {
        this.#finish();
        throw error;
      }
      if (r.done) {
        this.#finish();
        return { value: undefined, done: true };
      }
      this.#batch = r.value;
      this.#index = 0;
    }
    return { value: this.#item(), done: false };
  }

  /** The next item of the batch, mapped; a mapping failure ends the iteration and closes the source. */
  #item(): T {
    const raw = this.#batch[this.#index] as S;
    // Let go of it: a batch is taken over from the source (never shown to the caller), and a row
    // handed out should not be kept alive by the rest of its batch.
    this.#batch[this.#index++] = undefined as S;
    if (this.#map === undefined) return raw as unknown as T;
    try {
      return this.#map(raw);
    } catch (error) {
      this.#finish();
      void Promise.resolve(this.#source.return?.(undefined)).catch(() => undefined);
      throw error;
    }
  }

  /** Stops early (what `break` calls): closes the source, so its download stops. */
  async return(value?: unknown): Promise<IteratorResult<T>> {
    const wasDone = this.#done;
    this.#finish();
    if (!wasDone) await this.#source.return?.(undefined);
    return { value: value as T, done: true };
  }

  /** Closes the source and rethrows, as a generator paused at a `yield` would. */
  async throw(error?: unknown): Promise<IteratorResult<T>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #finish(): void {
    this.#done = true;
    this.#batch = [];
    this.#index = 0;
  }
}

/**
 * The first `limit` items of an iteration as an array (what every `toArray({ limit })` does: lists,
 * event streams, logfile rows). The cap is required, so an accidental full export cannot fill
 * memory; leaving the loop at the cap stops the source (its download, its paging).
 */
export async function collectItems<T>(items: AsyncIterable<T>, options: { limit: number }): Promise<T[]> {
  const cap = options?.limit;
  if (!Number.isSafeInteger(cap) || cap < 1) throw new ValidationError('toArray({ limit }) needs a positive integer limit');
  const out: T[] = [];
  for await (const item of items) {
    out.push(item);
    if (out.length >= cap) break;
  }
  return out;
}
