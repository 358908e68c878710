import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Copernica } from '../../src/client.js';
import { isValidationError, ValidationError } from '../../src/core/errors.js';
import type { EventRecord } from '../../src/resources/events.js';
import { degradedProperties } from '../../src/core/schema.js';
import { seen as seenRequest } from '../helpers/nock.js';
import { failureOf } from '../helpers/refusals.js';

const HOST = 'https://api.copernica.com';
const client = () => new Copernica({ accessToken: 'tok', maxRetries: 0 });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

/** Answers every GET under `prefix` with the next body, recording the exact path and query. */
function script(bodies: unknown[]) {
  const seen: string[] = [];
  const scope = nock(HOST)
    .get(() => true)
    .times(bodies.length)
    .reply(function (this: unknown, uri: unknown) {
      seen.push(seenRequest(uri, this).path);
      return [200, bodies[seen.length - 1] as nock.Body];
    });
  return { seen, scope };
}

const open = (time: string, extra: Record<string, unknown> = {}) => ({
  event: 'open',
  time,
  ip: '203.0.113.9',
  email: 'john@example.com',
  profile: '12',
  ...extra,
});

describe('events: paths and queries', () => {
  it('byProfile sends start/end/tags and access_token last, and types the records', async () => {
    const { seen, scope } = script([
      [
        open('2024-01-05 10:00:00'),
        { event: 'click', time: '2024-01-05 10:01:00', url: 'https://x.example/a', link: '3', subprofile: null },
      ],
    ]);
    const events = await client()
      .events.byProfile(12, { start: '2024-01-01', end: '2024-01-31', tags: ['summer', 'sale'] })
      .toArray({ limit: 10 });
    expect(seen).toEqual(['/v1/profile/12/events?start=2024-01-01&end=2024-01-31&tags=summer%3Bsale&access_token=tok']);
    expect(scope.isDone()).toBe(true);
    expect(events).toHaveLength(2);
    const [first, second] = events as [EventRecord, EventRecord];
    expect(first.event).toBe('open');
    expect(first.profile).toBe(12);
    if (second.event !== 'click') throw new Error('expected a click');
    expect(second.url).toBe('https://x.example/a');
    expect(second.link).toBe(3);
    expect(second.subprofile).toBeNull();
  });

  it('every endpoint uses its documented path; e-mail and tags are encoded safely', async () => {
    const { seen, scope } = script(Array.from({ length: 9 }, () => []));
    const c = client();
    const w = { start: '2024-02-01' };
    await c.events.byProfile('12', w).toArray({ limit: 1 });
    await c.events.bySubprofile(34, w).toArray({ limit: 1 });
    await c.events.byEmail('john+news@example.com', w).toArray({ limit: 1 });
    await c.events.byMessage('dkJDF343Df', w).toArray({ limit: 1 });
    await c.events.byTemplate(877, w).toArray({ limit: 1 });
    await c.events.byOldTemplate(12, w).toArray({ limit: 1 });
    await c.events.byOldMessage('Q7fJ2xkP0a', w).toArray({ limit: 1 });
    await c.events.byOldDocument(2201, w).toArray({ limit: 1 });
    await c.events.byTags(['summer sale', 'nl'], w).toArray({ limit: 1 });
    expect(seen).toEqual([
      '/v1/profile/12/events?start=2024-02-01&access_token=tok',
      '/v1/subprofile/34/events?start=2024-02-01&access_token=tok',
      '/v1/email/john%2Bnews%40example.com/events?start=2024-02-01&access_token=tok',
      '/v1/message/dkJDF343Df/events?start=2024-02-01&access_token=tok',
      '/v1/template/877/events?start=2024-02-01&access_token=tok',
      '/v1/old/template/12/events?start=2024-02-01&access_token=tok',
      '/v1/old/message/Q7fJ2xkP0a/events?start=2024-02-01&access_token=tok',
      '/v1/old/document/2201/events?start=2024-02-01&access_token=tok',
      '/v1/tags/summer%20sale;nl/events?start=2024-02-01&access_token=tok',
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it('without a window no dates are sent (the server picks its default)', async () => {
    const { seen, scope } = script([[]]);
    expect(await client().events.byMessage('dkJDF343Df').toArray({ limit: 5 })).toEqual([]);
    expect(seen).toEqual(['/v1/message/dkJDF343Df/events?access_token=tok']);
    expect(scope.isDone()).toBe(true);
  });
});

describe('events: windows longer than a month', () => {
  it('are fetched month by month and streamed in order', async () => {
    const { seen, scope } = script([
      [open('2024-01-31 23:00:00')],
      [open('2024-02-10 08:00:00'), open('2024-02-28 09:00:00')],
      [open('2024-03-30 12:00:00')],
      [open('2024-04-15 12:00:00')],
    ]);
    const times: (string | null | undefined)[] = [];
    const stream = client().events.byEmail('john@example.com', { start: '2024-01-31', end: new Date(Date.UTC(2024, 4, 1)) });
    expect(stream.windows).toEqual([
      { start: '2024-01-31', end: '2024-02-29' },
      { start: '2024-02-29', end: '2024-03-29' },
      { start: '2024-03-29', end: '2024-04-29' },
      { start: '2024-04-29', end: '2024-05-01' },
    ]);
    for await (const e of stream) times.push(e.time);
    expect(times).toEqual([
      '2024-01-31 23:00:00',
      '2024-02-10 08:00:00',
      '2024-02-28 09:00:00',
      '2024-03-30 12:00:00',
      '2024-04-15 12:00:00',
    ]);
    expect(seen.map((u) => u.split('?')[1])).toEqual([
      'start=2024-01-31&end=2024-02-29&access_token=tok',
      'start=2024-02-29&end=2024-03-29&access_token=tok',
      'start=2024-03-29&end=2024-04-29&access_token=tok',
      'start=2024-04-29&end=2024-05-01&access_token=tok',
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it('toArray stops requesting once the cap is reached', async () => {
    const { seen } = script([[open('2024-01-02 00:00:00'), open('2024-01-03 00:00:00')], [open('2024-02-02 00:00:00')]]);
    const got = await client().events.byProfile(12, { start: '2024-01-01', end: '2024-12-01' }).toArray({ limit: 2 });
    expect(got).toHaveLength(2);
    expect(seen).toHaveLength(1);
  });

  it('nothing is sent until iterated', async () => {
    const { seen } = script(Array.from({ length: 5 }, () => []));
    const stream = client().events.byProfile(12, { start: '2024-01-01', end: '2024-06-01' });
    // Give a request that was started time to arrive (a synchronous check would pass either way).
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual([]);
    await stream.toArray({ limit: 1 });
    expect(seen).toHaveLength(5); // one per month, once iterated: the interceptor does see requests
  });
});

describe('events: record layouts', () => {
  it('flattens nested data, reads `type` as the discriminator, keeps unknown types as other', async () => {
    const { scope } = script([
      [
        { event: 'click', data: { time: '2024-01-01 10:00:00', url: 'https://x.example', profile: 5 } },
        { type: 'open', time: '2024-01-01 11:00:00', ip: '198.51.100.1' },
        { event: 'failure', time: '2024-01-01 12:00:00', type: 'bounce', status: '5.1.1', code: '550' },
        { event: 'delivery', time: '0000-00-00 00:00:00', attempts: '1' },
        { event: 'spamtrap', time: '2024-01-01 13:00:00', extra: 'x' },
      ],
    ]);
    const events = await client().events.byTemplate(1, { start: '2024-01-01' }).toArray({ limit: 10 });
    expect(scope.isDone()).toBe(true);
    expect(events.map((e) => e.event)).toEqual(['click', 'open', 'failure', 'delivery', 'other']);
    const [click, opened, failure, delivery, other] = events;
    expect(click).toMatchObject({ url: 'https://x.example', profile: 5, time: '2024-01-01 10:00:00' });
    expect(opened).toMatchObject({ ip: '198.51.100.1' });
    expect(failure).toMatchObject({ type: 'bounce', status: '5.1.1', code: 550 });
    expect(delivery).toMatchObject({ attempts: 1, time: null });
    expect(other).toMatchObject({ originalEvent: 'spamtrap', extra: 'x' });
  });

  it('strict clients reject unknown properties on known events', async () => {
    script([[{ event: 'open', time: '2024-01-01 10:00:00', surprise: 1 }]]);
    const strict = new Copernica({ accessToken: 'tok', maxRetries: 0, strict: true });
    await expect(strict.events.byProfile(1, { start: '2024-01-01' }).toArray({ limit: 5 })).rejects.toMatchObject({
      code: 'invalid_response',
    });
  });
});

describe('events: replies the SDK must not refuse (issue 12)', () => {
  it('a record without `time` (the v1 event pages do not promise it) is parsed by every event endpoint, loose and strict', async () => {
    const noTime = [
      { event: 'open', ip: '203.0.113.9', email: 'john@example.com' },
      { event: 'click', url: 'https://x.example/a' },
    ];
    const calls = (c: Copernica) => [
      c.events.byProfile(1, { start: '2024-01-01' }),
      c.events.bySubprofile(2, { start: '2024-01-01' }),
      c.events.byEmail('a@example.com', { start: '2024-01-01' }),
      c.events.byMessage('m1', { start: '2024-01-01' }),
      c.events.byTemplate(3, { start: '2024-01-01' }),
      c.events.byOldTemplate(4, { start: '2024-01-01' }),
      c.events.byOldMessage('m2', { start: '2024-01-01' }),
      c.events.byOldDocument(5, { start: '2024-01-01' }),
      c.events.byTags('summer', { start: '2024-01-01' }),
    ];
    for (const strict of [false, true]) {
      const c = new Copernica({ accessToken: 'tok', maxRetries: 0, strict });
      const { scope } = script(Array.from({ length: 9 }, () => noTime));
      for (const stream of calls(c)) {
        const events = await stream.toArray({ limit: 10 });
        expect(events.map((e) => [e.event, e.time])).toEqual([
          ['open', undefined],
          ['click', undefined],
        ]);
      }
      expect(scope.isDone()).toBe(true);
    }
  });

  it('a value of the wrong type degrades that property, is warned once per endpoint and property, and strict refuses it', async () => {
    const warnings: { message: string; meta?: Record<string, unknown> }[] = [];
    const logger = { warn: (message: string, meta?: Record<string, unknown>) => warnings.push({ message, meta }) };
    const odd = { event: 'click', time: 1706781600, url: 'https://x.example/a', profile: 'not-an-id', link: '3' };
    const c = new Copernica({ accessToken: 'tok', maxRetries: 0, logger });
    script([[odd, odd], [odd]]);
    const events = await c.events.byProfile(12, { start: '2024-01-01', end: '2024-03-01' }).toArray({ limit: 10 });
    expect(events).toHaveLength(3);
    const [first] = events as [EventRecord];
    expect(first).toMatchObject({ event: 'click', url: 'https://x.example/a', link: 3 });
    expect(first.time).toBeUndefined();
    expect(first.profile).toBeUndefined();
    expect(degradedProperties(first)).toEqual({ time: 1706781600, profile: 'not-an-id' });
    // Two properties, three records over two requests to one endpoint: two warnings.
    expect(warnings.map((w) => w.meta)).toEqual([
      { endpoint: 'GET /profile/{id}/events', property: 'time', expected: 'a timestamp string', received: 'an integer' },
      { endpoint: 'GET /profile/{id}/events', property: 'profile', expected: 'an ID (integer or digits)', received: 'a string' },
    ]);
    expect(JSON.stringify(warnings)).not.toContain('not-an-id');
    // Another endpoint is warned about separately.
    script([[odd]]);
    await c.events.byTemplate(1, { start: '2024-01-01' }).toArray({ limit: 10 });
    expect(warnings.slice(2).map((w) => w.meta?.endpoint)).toEqual(['GET /template/{id}/events', 'GET /template/{id}/events']);

    const strict = new Copernica({ accessToken: 'tok', maxRetries: 0, strict: true });
    script([[odd]]);
    await expect(strict.events.byProfile(12, { start: '2024-01-01' }).toArray({ limit: 10 })).rejects.toThrow(
      /reply\.0\.time: expected a timestamp string, got an integer/,
    );
  });

  it('a record without its discriminator is refused, naming the property', async () => {
    script([[{ time: '2024-01-01 10:00:00' }]]);
    await expect(client().events.byProfile(1, { start: '2024-01-01' }).toArray({ limit: 5 })).rejects.toThrow(/reply\.0\.event: expected /);
  });
});

describe('events: input validation before any request', () => {
  const cases: [string, () => unknown][] = [
    ['end before start', () => client().events.byProfile(1, { start: '2024-02-01', end: '2024-01-01' })],
    ['impossible date', () => client().events.byProfile(1, { start: '2024-02-30' })],
    ['tags on old message events', () => client().events.byOldMessage('abc', { tags: 'x' } as never)],
    ['tag with ;', () => client().events.byProfile(1, { tags: ['a;b'] })],
    ['unknown option', () => client().events.byProfile(1, { begin: '2024-01-01' } as never)],
    ['bad profile id', () => client().events.byProfile('12/../13' as never)],
    ['bad e-mail', () => client().events.byEmail('not-an-address')],
    ['empty tag list', () => client().events.byTags([])],
    ['message id with slash', () => client().events.byMessage('a/b')],
  ];
  it.each(cases)('%s → ValidationError', async (_name, call) => {
    const scope = nock(HOST)
      .get(() => true)
      .reply(200, []);
    // One failure contract: the method returns a stream (no synchronous throw) whose first read rejects.
    let stream: unknown;
    expect(() => (stream = call())).not.toThrow();
    const caught = await failureOf(stream);
    expect(isValidationError(caught)).toBe(true);
    expect(caught).toBeInstanceOf(ValidationError);
    expect(scope.isDone()).toBe(false);
  });

  it('toArray needs a positive cap', async () => {
    await expect(client().events.byProfile(1).toArray({ limit: 0 })).rejects.toBeInstanceOf(ValidationError);
  });
});
