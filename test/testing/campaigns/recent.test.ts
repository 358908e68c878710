/**
 * Issue 13: a fake started for newcomers has recent mailings, and a mailing sent in the past never
 * has events or logfiles dated in the future.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeCopernica, type FakeCopernica } from '../../../src/testing/index.js';

const fakes: FakeCopernica[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

async function start(opts: Parameters<typeof createFakeCopernica>[0] = {}): Promise<FakeCopernica> {
  const f = await createFakeCopernica(opts);
  fakes.push(f);
  return f;
}

async function get<T>(fake: FakeCopernica, path: string, account = 0): Promise<T> {
  const sep = path.includes('?') ? '&' : '?';
  const r = await fetch(`${fake.apiUrl}${path}${sep}access_token=${fake.accounts[account]!.token}`);
  expect(r.status, path).toBe(200);
  return (await r.json()) as T;
}

type Ev = { event: string; time: string; message: string };
const utc = (s: string) => Date.parse(`${s.replace(' ', 'T')}Z`);
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('sendMailing in the past', () => {
  it('dates every event and logfile between the send time and now (yesterday no longer spills into tomorrow)', async () => {
    const fake = await start({ profiles: 50 });
    const before = Date.now();
    const yesterday = new Date(before - 86_400_000);
    const s = fake.sendMailing({
      target: { database: 1 },
      at: yesterday,
      rates: { open: 1, click: 1, abuse: 1, unsubscribe: 1, bounce: 0.2 },
    });
    const after = Date.now();
    const evs = await get<Ev[]>(fake, `/message/${s.messageId}/events`);
    expect(evs.length).toBeGreaterThan(150);
    const times = evs.map((e) => utc(e.time));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(utc(s.sentAt));
    expect(Math.max(...times)).toBeLessThanOrEqual(after);
    // the times keep their order (the list is sorted by time)
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // the opens still spread over the day rather than all landing on "now"
    const opens = evs.filter((e) => e.event === 'open').map((e) => utc(e.time));
    expect(new Set(opens).size).toBeGreaterThan(10);
    const dates = await get<string[]>(fake, '/logfiles');
    for (const d of dates) expect(d <= day(after)).toBe(true);
    expect(dates).toContain(day(yesterday.getTime()));
  });

  it('keeps the simulated times of a mailing sent long ago (nothing to squeeze)', async () => {
    const fake = await start({ profiles: 20 });
    const s = fake.sendMailing({ target: { database: 1 }, at: '2024-03-10 08:00:00', seed: 3, rates: { open: 1, bounce: 0 } });
    const evs = await get<Ev[]>(fake, `/message/${s.messageId}/events`);
    const opens = evs.filter((e) => e.event === 'open').map((e) => utc(e.time));
    // opens follow the delivery by a minute or more, up to days: not squeezed into the send second
    expect(Math.max(...opens) - utc(s.sentAt)).toBeGreaterThan(3_600_000);
  });

  it('leaves a mailing sent in the future as simulated', async () => {
    const fake = await start({ profiles: 20 });
    const tomorrow = new Date(Date.now() + 86_400_000);
    const s = fake.sendMailing({ target: { database: 1 }, at: tomorrow, rates: { open: 1, bounce: 0 } });
    const evs = await get<Ev[]>(fake, `/message/${s.messageId}/events`);
    expect(Math.min(...evs.map((e) => utc(e.time)))).toBeGreaterThanOrEqual(utc(s.sentAt));
  });
});

describe('createFakeCopernica({ mailings })', () => {
  it('starts with no mailings by default (tests start empty)', async () => {
    const fake = await start({ profiles: 10 });
    expect(await get<string[]>(fake, '/logfiles')).toEqual([]);
    expect(await get<Ev[]>(fake, '/profile/1/events')).toEqual([]);
  });

  it('mailings: 3 seeds finished mailings in every account: logfiles up to yesterday, events of profile 1, clicks yesterday', async () => {
    const fake = await start({ profiles: 50, mailings: 3 });
    const now = Date.now();
    const yesterday = day(now - 86_400_000);
    const dates = await get<string[]>(fake, '/logfiles');
    expect(dates).toContain(yesterday);
    expect(dates).toContain(day(now - 5 * 86_400_000));
    for (const d of dates) expect(d <= day(Date.now())).toBe(true);
    const names = await get<string[]>(fake, `/logfiles/${yesterday}`);
    expect(names).toContain(`cdm-click.${yesterday}.log`);
    const events = await get<Ev[]>(fake, '/profile/1/events');
    expect(new Set(events.map((e) => e.message)).size).toBe(3);
    for (const e of events) expect(utc(e.time)).toBeLessThanOrEqual(Date.now());
    // a Publisher mailing among them fills the /old/... endpoints and pom-* logfiles
    const allNames = (await Promise.all(dates.map((d) => get<string[]>(fake, `/logfiles/${d}`)))).flat();
    expect(allNames.some((n) => n.startsWith('pom-'))).toBe(true);
    // the other accounts have their own
    const other = fake.accounts[1]!;
    const firstDb = fake.account(other.id).databases.values().next().value!;
    const id = firstDb.ids[0]!;
    expect((await get<Ev[]>(fake, `/profile/${id}/events`, 1)).length).toBeGreaterThan(0);
  });

  it('refuses a mailings count that is not an integer from 0 to 30', async () => {
    for (const bad of [-1, 31, 1.5, Number.NaN])
      await expect(createFakeCopernica({ mailings: bad })).rejects.toThrow(/mailings must be an integer from 0 to 30/);
  });
});
