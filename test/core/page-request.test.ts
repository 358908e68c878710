/**
 * PageRequest is a real promise (issue 14): `instanceof Promise`, `.catch`, `.finally`, lazy (nothing
 * is sent before it is read), and a refused input is a rejection, not a synchronous throw. An
 * awaited page fetches the next one: `page.hasNextPage()`, `page.nextPage()` (null at the end).
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { Copernica } from '../../src/client.js';
import { InvalidResponseError, isValidationError, ValidationError } from '../../src/core/errors.js';
import { PageRequest, type ListPage, type Page } from '../../src/core/pagination.js';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';

/** A list of `n` numbers served by offset, recording each request. */
function numbers(n: number, opts: { total?: boolean } = {}) {
  const asked: { start: number; limit: number; total: boolean }[] = [];
  const fetch = async (p: { start: number; limit: number; total: boolean }): Promise<Page<number>> => {
    asked.push(p);
    const data = Array.from({ length: Math.max(0, Math.min(p.limit, n - p.start)) }, (_, i) => p.start + i);
    return { start: p.start, limit: p.limit, count: data.length, total: opts.total === false ? undefined : n, data };
  };
  return { asked, fetch };
}

describe('PageRequest is a real promise', () => {
  it('is an instance of Promise with then, catch and finally, and sends nothing until read', async () => {
    const { asked, fetch } = numbers(5);
    const request = new PageRequest(fetch, { limit: 2 });
    expect(request).toBeInstanceOf(Promise);
    expect(Object.prototype.toString.call(request)).toBe('[object Promise]');
    expect(asked).toEqual([]); // lazy: made, not sent
    let finallyRan = false;
    const page = await request.finally(() => {
      finallyRan = true;
    });
    expect(finallyRan).toBe(true);
    expect(page.data).toEqual([0, 1]);
    expect(await request.catch(() => 'unused')).toBe(page); // one request, one page
    expect(asked).toEqual([{ start: 0, limit: 2, total: true }]);
    // What then/catch/finally return are plain promises (the species is Promise).
    const derived = request.then((p) => p.count);
    expect(derived.constructor).toBe(Promise);
    expect(await derived).toBe(2);
  });

  it('util.inspect shows the paging asked for (not the Promise slot underneath)', async () => {
    expect(inspect(new PageRequest(numbers(3).fetch, { limit: 2 }))).toBe('PageRequest { start: 0, limit: 2 }');
    expect(inspect(new PageRequest(numbers(3).fetch, { limit: 500 }))).toMatch(/^PageRequest \{ refused: '.*limit/);
  });

  it('a refused paging parameter rejects (then, catch, finally, iteration, toArray); nothing is sent', async () => {
    const { asked, fetch } = numbers(5);
    let made: PageRequest<number> | undefined;
    expect(() => {
      made = new PageRequest(fetch, { limit: 500 });
    }).not.toThrow();
    const request = made!;
    await expect(request).rejects.toBeInstanceOf(ValidationError);
    expect(isValidationError(await request.catch((e: unknown) => e))).toBe(true);
    let finallyRan = false;
    await expect(request.finally(() => (finallyRan = true))).rejects.toThrow(/limit: must be an integer from 1 to 100/);
    expect(finallyRan).toBe(true);
    await expect(request.toArray({ limit: 10 })).rejects.toBeInstanceOf(ValidationError);
    await expect(request.pages().next()).rejects.toBeInstanceOf(ValidationError);
    await expect(
      (async () => {
        for await (const n of request) void n;
      })(),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(asked).toEqual([]);
  });

  it('PageRequest.failed: never sent, rejects when read; an unread one raises no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      PageRequest.failed(new ValidationError('never read'));
      const read = PageRequest.failed<number>(new ValidationError('read'));
      await expect(read).rejects.toThrow('read');
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('types (checked by tsc)', () => {
  it('a PageRequest is a Promise of a ListPage; nextPage() gives a ListPage or null', () => {
    expectTypeOf<PageRequest<number>>().toExtend<Promise<ListPage<number>>>();
    expectTypeOf<Awaited<PageRequest<number>>>().toEqualTypeOf<ListPage<number>>();
    expectTypeOf<ReturnType<ListPage<number>['nextPage']>>().toEqualTypeOf<Promise<ListPage<number> | null>>();
    expectTypeOf<ReturnType<ListPage<number>['hasNextPage']>>().toEqualTypeOf<boolean>();
  });
});

describe('page.nextPage()', () => {
  it('walks every page and gives null after the last (the total says when), sending no extra request', async () => {
    const { asked, fetch } = numbers(5);
    let page: ListPage<number> | null = await new PageRequest(fetch, { limit: 2 });
    const seen: number[][] = [];
    while (page) {
      seen.push(page.data);
      page = await page.nextPage();
    }
    expect(seen).toEqual([[0, 1], [2, 3], [4]]);
    expect(asked.map((a) => a.start)).toEqual([0, 2, 4]);
    expect(asked.every((a) => a.limit === 2 && a.total)).toBe(true);
  });

  it('hasNextPage() tells the end: counted last page, short page without a total, empty page', async () => {
    const counted = await new PageRequest(numbers(4).fetch, { limit: 2, start: 2 });
    expect(counted.hasNextPage()).toBe(false);
    expect(await counted.nextPage()).toBeNull();

    const uncounted = numbers(3, { total: false });
    const first = await new PageRequest(uncounted.fetch, { limit: 2 });
    expect(first.hasNextPage()).toBe(true); // full page, no total: there may be more
    const second = (await first.nextPage())!;
    expect(second.data).toEqual([2]);
    expect(second.hasNextPage()).toBe(false); // a short page is the last
    expect(await second.nextPage()).toBeNull();
    expect(uncounted.asked.map((a) => a.start)).toEqual([0, 2]);

    const empty = await new PageRequest(numbers(0).fetch);
    expect(empty.hasNextPage()).toBe(false);
  });

  it('the page stays a plain page for spreads, JSON and structuredClone (the links are not enumerable)', async () => {
    const page = await new PageRequest(numbers(3).fetch, { limit: 2 });
    const plain = { start: 0, limit: 2, count: 2, total: 3, data: [0, 1] };
    expect({ ...page }).toEqual(plain);
    expect(Object.keys(page)).toEqual(['start', 'limit', 'count', 'total', 'data']);
    expect(JSON.parse(JSON.stringify(page))).toEqual(plain);
    expect(structuredClone(page)).toEqual(plain);
  });

  it('a server that answers the next offset with the same items fails with InvalidResponseError', async () => {
    const stuck = async (): Promise<Page<number>> => ({ start: 0, limit: 2, count: 2, total: 10, data: [0, 1] });
    const page = await new PageRequest(stuck, { limit: 2 });
    await expect(page.nextPage()).rejects.toBeInstanceOf(InvalidResponseError);
  });
});

describe('against the fake Copernica', () => {
  let fake: FakeCopernica;
  let api: Copernica;
  beforeAll(async () => {
    fake = await createFakeCopernica({ seed: 4, profiles: 7 });
    api = new Copernica({ accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl, maxRetries: 0 });
  });
  afterAll(() => fake.close());

  it('nextPage() over profiles gives what iteration gives, in the same order', async () => {
    const db = (await api.databases.list({ limit: 1 })).data[0]!.ID;
    const all = (await api.profiles.list(db).toArray({ limit: 1000 })).map((p) => p.ID);
    expect(all.length).toBeGreaterThan(3);
    const walked: number[] = [];
    let page: ListPage<{ ID: number }> | null = await api.profiles.list(db, { limit: 3 });
    while (page) {
      walked.push(...page.data.map((p) => p.ID));
      page = await page.nextPage();
    }
    expect(walked).toEqual(all);
  });

  it('a list refused for its input rejects where it is read, and sends nothing', async () => {
    fake.clearRequests();
    const request = api.databases.fields.list('../1' as never);
    expect(request).toBeInstanceOf(PageRequest);
    await expect(request).rejects.toBeInstanceOf(ValidationError);
    await expect(api.profiles.list(-1).toArray({ limit: 5 })).rejects.toBeInstanceOf(ValidationError);
    expect(fake.requests).toEqual([]);
  });
});
