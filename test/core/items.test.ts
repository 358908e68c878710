// BatchItems: the iterator behind `for await` over lists and logfile rows. It must behave like the
// async generator it replaced: order, queued next() calls, early return closing the source, errors.
import { describe, expect, it } from 'vitest';
import { BatchItems } from '../../src/core/items.js';

function source(batches: number[][], opts: { failAfter?: number } = {}) {
  const log = { pulled: 0, closed: false };
  async function* gen() {
    try {
      for (const [i, b] of batches.entries()) {
        if (opts.failAfter !== undefined && i === opts.failAfter) throw new Error('source failed');
        log.pulled++;
        await new Promise((r) => setTimeout(r, 1));
        yield b;
      }
    } finally {
      log.closed = true;
    }
  }
  return { it: new BatchItems<number>(gen()), log };
}

/** Every item into `got` until the iteration ends or fails (the promise tells which). */
async function drain(items: AsyncIterable<number>, got: number[]): Promise<void> {
  for await (const n of items) got.push(n);
}

describe('BatchItems', () => {
  it('yields every item of every batch in order, skipping empty batches', async () => {
    const { it: items, log } = source([[1, 2], [], [3], [4, 5, 6]]);
    const got: number[] = [];
    for await (const n of items) got.push(n);
    expect(got).toEqual([1, 2, 3, 4, 5, 6]);
    expect(log.closed).toBe(true);
  });

  it('answers next() calls made without waiting in order, pulling each batch once', async () => {
    const { it: items, log } = source([[1], [2, 3], [4]]);
    const results = await Promise.all([items.next(), items.next(), items.next(), items.next(), items.next()]);
    expect(results).toEqual([
      { value: 1, done: false },
      { value: 2, done: false },
      { value: 3, done: false },
      { value: 4, done: false },
      { value: undefined, done: true },
    ]);
    expect(log.pulled).toBe(3);
  });

  it('closes the source on break and pulls nothing more', async () => {
    const { it: items, log } = source([[1, 2], [3, 4], [5]]);
    const got: number[] = [];
    for await (const n of items) {
      got.push(n);
      if (n === 3) break;
    }
    expect(got).toEqual([1, 2, 3]);
    expect(log.closed).toBe(true);
    expect(log.pulled).toBe(2);
    expect(await items.next()).toEqual({ value: undefined, done: true });
  });

  it('passes a source failure to the consumer after the items before it, then is done', async () => {
    const { it: items } = source([[1, 2], [3]], { failAfter: 1 });
    const got: number[] = [];
    await expect(drain(items, got)).rejects.toThrow('source failed');
    expect(got).toEqual([1, 2]);
    expect(await items.next()).toEqual({ value: undefined, done: true });
  });

  it('throw() closes the source and rethrows', async () => {
    const { it: items, log } = source([[1], [2]]);
    await items.next();
    await expect(items.throw(new Error('stop'))).rejects.toThrow('stop');
    expect(log.closed).toBe(true);
  });
});

describe('BatchItems with a map', () => {
  it('maps items as they are handed out; a failing map ends the iteration and closes the source', async () => {
    const closed = { value: false };
    async function* gen() {
      try {
        yield ['1', '2'];
        yield ['x', '4'];
      } finally {
        closed.value = true;
      }
    }
    const items = new BatchItems<number, string>(gen(), (s) => {
      if (!/^\d+$/.test(s)) throw new Error(`not a number: ${s}`);
      return Number(s);
    });
    const got: number[] = [];
    await expect(drain(items, got)).rejects.toThrow('not a number: x');
    expect(got).toEqual([1, 2]);
    await new Promise((r) => setTimeout(r, 1));
    expect(closed.value).toBe(true);
    expect(await items.next()).toEqual({ value: undefined, done: true });
  });
});
