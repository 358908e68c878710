/**
 * `validateFields` keeps a database's field definitions per client; a field written through the
 * client (created, changed, deleted) is never checked against stale definitions (issue 14: "a field
 * added a moment ago is refused"), and `client.profiles.clearFieldCache()` forgets them by hand.
 * Against the fake Copernica over loopback.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Copernica } from '../../src/client.js';
import { isValidationError, ValidationError } from '../../src/core/errors.js';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';

let fake: FakeCopernica;
let client: Copernica;
let db: number;

/** How many times the definitions of `db` were fetched since the last clear. */
const definitionFetches = () => fake.requests.filter((r) => r.method === 'GET' && r.path === `/database/${db}/fields`).length;

/** A profile create that validates its fields first. */
const createWith = (c: Copernica, fields: Record<string, string>) => c.profiles.create(db, { fields, validateFields: true });

beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 14, profiles: 3 });
  client = new Copernica({ accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl, maxRetries: 0 });
});
afterAll(() => fake.close());

beforeEach(async () => {
  const made = await client.databases.create({ name: `fielddefs${Math.floor(Math.random() * 1e9)}` });
  db = made.id!;
  await client.databases.fields.create(db, { name: 'email', type: 'email' });
  fake.clearRequests();
});

describe('validateFields and the client field-definition cache', () => {
  it('fetches the definitions once for many validated writes', async () => {
    await createWith(client, { email: 'a@example.com' });
    await createWith(client, { email: 'b@example.com' });
    await expect(createWith(client, { nope: 'x' })).rejects.toBeInstanceOf(ValidationError);
    expect(definitionFetches()).toBe(1);
  });

  it('a field created through the client is accepted by the next validated write (the reproduction)', async () => {
    await createWith(client, { email: 'a@example.com' }); // definitions cached without `country`
    await client.databases.fields.create(db, { name: 'country', type: 'text' });
    const { id } = await createWith(client, { email: 'b@example.com', country: 'nl' });
    expect((await client.profiles.get(id!)).fields).toMatchObject({ email: 'b@example.com', country: 'nl' });
    expect(definitionFetches()).toBe(2);
  });

  it('a field deleted through the client is refused by the next validated write', async () => {
    await client.databases.fields.create(db, { name: 'city', type: 'text' });
    await createWith(client, { email: 'a@example.com', city: 'Amsterdam' });
    const { removed } = await client.databases.fields.delete(db, 'city');
    expect(removed).toBe(true);
    const refused = await createWith(client, { email: 'b@example.com', city: 'Utrecht' }).catch((e: unknown) => e);
    expect(isValidationError(refused)).toBe(true);
    expect((refused as Error).message).toMatch(/city/);
  });

  it('a field changed through the client (by database name) is checked against its new definition', async () => {
    const { id: fieldId } = await client.databases.fields.create(db, { name: 'tier', type: 'select', choices: ['gold', 'silver'] });
    await expect(createWith(client, { tier: 'bronze' })).rejects.toThrow(/tier/);
    const name = (await client.databases.get(db)).name;
    await client.databases.fields.update(name, fieldId!, { choices: ['gold', 'silver', 'bronze'] });
    const { id } = await createWith(client, { email: 'c@example.com', tier: 'bronze' });
    expect((await client.profiles.get(id!)).fields).toMatchObject({ tier: 'bronze' });
  });

  it('a client made with withOptions shares the definitions both ways', async () => {
    const patient = client.withOptions({ timeout: 60_000 });
    await createWith(client, { email: 'a@example.com' });
    await createWith(patient, { email: 'b@example.com' });
    expect(definitionFetches()).toBe(1); // shared: fetched once
    await patient.databases.fields.create(db, { name: 'zip', type: 'text' });
    await createWith(client, { email: 'c@example.com', zip: '1011' });
  });

  it('a field added elsewhere is refused until clearFieldCache(db), then accepted', async () => {
    const other = new Copernica({ accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl, maxRetries: 0 });
    await createWith(client, { email: 'a@example.com' });
    await other.databases.fields.create(db, { name: 'phone', type: 'text' }); // another client: this one cannot know
    await expect(createWith(client, { phone: '0612345678' })).rejects.toBeInstanceOf(ValidationError);
    await client.profiles.clearFieldCache(db);
    await createWith(client, { email: 'd@example.com', phone: '0612345678' });
    // clearFieldCache() without an ID forgets every database; a bad ID is a rejection, not a throw.
    await client.profiles.clearFieldCache();
    await createWith(client, { email: 'e@example.com' });
    expect(definitionFetches()).toBe(3);
    const bad = client.profiles.clearFieldCache('x' as never);
    await expect(bad).rejects.toBeInstanceOf(ValidationError);
  });

  it('a failed field write forgets the definitions too (it may have changed the fields)', async () => {
    await createWith(client, { email: 'a@example.com' });
    await expect(client.databases.fields.update(db, 999_999, { displayed: false })).rejects.toThrow();
    await createWith(client, { email: 'b@example.com' });
    expect(definitionFetches()).toBe(2);
  });
});
