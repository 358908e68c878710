/**
 * A small database shaped like the one the peer library's live-behaviour tests used
 * (spec/OBSERVED.md "Recorded by a peer library's live-behaviour tests"): text `LastName`, integer
 * `ANumber` with default -1, datetime `ActionTime`, select `AChoice`, and a few profiles. Plain
 * `fetch` against the fake (never the SDK).
 */
import { expect } from 'vitest';
import type { FakeCopernica } from '../../src/testing/index.js';
import { call, get, type Reply } from './helpers.js';

export interface LiveDb {
  db: number;
  /** Profile IDs by name: A, B (LastName Muit), C, D (LastName ""), E (Jansen). */
  p: Record<'A' | 'B' | 'C' | 'D' | 'E', number>;
}

export async function created(r: Reply): Promise<number> {
  expect(r.status, r.text).toBe(201);
  const id = Number(r.headers.get('x-created'));
  expect(Number.isSafeInteger(id) && id > 0).toBe(true);
  return id;
}

/** A new database with the peer's fields and five profiles. */
let made = 0;

export async function liveDb(fake: FakeCopernica, name = `peer-${++made}`): Promise<LiveDb> {
  const db = await created(await call(fake, 'POST', '/databases', { body: { name } }));
  for (const f of [
    { name: 'LastName', type: 'text' },
    { name: 'ANumber', type: 'integer', value: '-1' },
    { name: 'ActionTime', type: 'datetime' },
    { name: 'AChoice', type: 'select', value: 'Red\nGreen' },
  ])
    await created(await call(fake, 'POST', `/database/${db}/fields`, { body: f }));
  const make = async (fields: Record<string, unknown>) =>
    created(await call(fake, 'POST', `/database/${db}/profiles`, { body: { fields } }));
  const p = {
    A: await make({ LastName: 'Muit', ActionTime: '2020-04-27 14:15:34', AChoice: 'Red' }),
    B: await make({ LastName: 'Muit', ANumber: 6, ActionTime: '2021-01-01 00:00:00', AChoice: 'Green' }),
    C: await make({ LastName: '', ANumber: '' }),
    D: await make({ LastName: '' }),
    E: await make({ LastName: 'Jansen', ANumber: '' }),
  };
  return { db, p };
}

/** The IDs of a list reply, as numbers. */
export function ids(r: Reply): number[] {
  expect(r.status, r.text).toBe(200);
  return (r.json.data as { ID: string }[]).map((x) => Number(x.ID));
}

export async function profileIds(fake: FakeCopernica, db: number, query: string): Promise<number[]> {
  return ids(await get(fake, `/database/${db}/profiles?${query}`));
}
