import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';
import { call, errorOf, get } from './helpers.js';

let fake: FakeCopernica;
beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 7, profiles: 30 });
});
afterAll(() => fake.close());

describe('authentication', () => {
  test('a missing token is 400 Invalid access token', async () => {
    const r = await get(fake, '/identity', { token: null });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toMatch(/application\/json/);
    expect(r.json).toEqual({ error: { message: 'Invalid access token' } });
  });

  test('an unknown token is refused the same way', async () => {
    const r = await get(fake, '/databases', { token: 'nope' });
    expect(r.status).toBe(400);
    expect(errorOf(r)).toBe('Invalid access token');
  });

  test('a revoked token stops working for every later call', async () => {
    const t = fake.issueToken(fake.accounts[1]!.id);
    expect((await get(fake, '/identity', { token: t })).json.name).toBe(fake.accounts[1]!.name);
    fake.revokeToken(t);
    for (const p of ['/identity', '/databases']) {
      const r = await get(fake, p, { token: t });
      expect(r.status).toBe(400);
      expect(errorOf(r)).toBe('Invalid access token');
    }
  });

  test('each token sees its own account only', async () => {
    const a = await get(fake, '/identity');
    const b = await get(fake, '/identity', { token: fake.accounts[1]!.token });
    expect(a.json.ID).toBe(String(fake.accounts[0]!.id));
    expect(b.json.ID).toBe(String(fake.accounts[1]!.id));
    expect(typeof a.json.ID).toBe('string');
    const dbOfA = (await get(fake, '/databases')).json.data[0].ID;
    const r = await get(fake, `/database/${dbOfA}`, { token: fake.accounts[1]!.token });
    expect(errorOf(r)).toBe('No database with supplied ID');
  });
});

describe('paths', () => {
  test('unknown paths, wrong methods and wrong case are Invalid method', async () => {
    for (const [m, p] of [
      ['GET', '/nothing'],
      ['DELETE', '/databases'],
      ['GET', '/Databases'],
      ['GET', '/identity/extra'],
    ] as const) {
      const r = await call(fake, m, p);
      expect(r.status, `${m} ${p}`).toBe(400);
      expect(errorOf(r)).toBe('Invalid method');
    }
  });

  test('trailing slashes are ignored; a doubled slash inside the path is an empty segment, not collapsed', async () => {
    const plain = await get(fake, '/database/1');
    const res = await fetch(`${fake.url}/v1/database/1//?access_token=${fake.accounts[0]!.token}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(plain.json);
    const doubled = await get(fake, '/database//1');
    expect(doubled.status).toBe(400);
    expect(errorOf(doubled)).toBe('No database with supplied ID');
  });

  test('the ID in the path is validated before the body', async () => {
    const r = await call(fake, 'PUT', '/profile/999999/fields', { body: ['not', 'an', 'object'] });
    expect(errorOf(r)).toBe('No entity with supplied ID');
    const r2 = await call(fake, 'PUT', '/profile/1/fields', { body: ['not', 'an', 'object'] });
    expect(errorOf(r2)).toBe('Invalid data provided');
  });
});

describe('status codes and headers', () => {
  test('POST answers 201 with X-Created and X-location and an empty body', async () => {
    const r = await call(fake, 'POST', '/database/1/profiles', { body: { firstname: 'Zed' } });
    expect(r.status).toBe(201);
    expect(r.text).toBe('');
    const id = r.headers.get('x-created');
    expect(id).toMatch(/^\d+$/);
    expect(r.headers.get('x-location')).toBe(`${fake.apiUrl}/profile/${id}`);
    expect((await get(fake, `/profile/${id}`)).json.fields.firstname).toBe('Zed');
  });

  test('PUT answers 303 with a Location naming the entity without the version segment, token included', async () => {
    const r = await call(fake, 'PUT', '/profile/2/fields', { body: { lastname: 'Put' } });
    expect(r.status).toBe(303);
    expect(r.text).toBe('');
    expect(r.headers.get('location')).toBe(`${fake.url}/profile/2?access_token=${fake.accounts[0]!.token}`);
    expect(r.headers.get('x-location')).toBe(`${fake.apiUrl}/profile/2`); // the pages' header, kept
    expect((await get(fake, '/profile/2')).json.fields.lastname).toBe('Put');
  });

  test('putStatus: 200 answers PUT with 200 and X-location, no Location', async () => {
    const f = await createFakeCopernica({ profiles: 3, putStatus: 200 });
    try {
      const r = await call(f, 'PUT', '/database/1', { body: { description: 'changed' } });
      expect(r.status).toBe(200);
      expect(r.headers.get('location')).toBeNull();
      expect(r.headers.get('x-location')).toBe(`${f.apiUrl}/database/1`);
      expect((await get(f, '/database/1')).json.description).toBe('changed');
    } finally {
      await f.close();
    }
  });

  test('POST to a PUT-only path is handled as PUT, and answers 2xx (not 303)', async () => {
    const r = await call(fake, 'POST', '/profile/3/fields', { body: { firstname: 'Posted' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('location')).toBeNull();
    expect((await get(fake, '/profile/3/fields')).json.firstname).toBe('Posted');
  });

  test('DELETE answers 200 with X-deleted, and 204 when nothing matched', async () => {
    const created = await call(fake, 'POST', '/database/1/views', { body: { name: 'temp-view' } });
    const id = created.headers.get('x-created');
    const r = await call(fake, 'DELETE', `/view/${id}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('x-deleted')).toBe(`view ${id}`);
    const again = await call(fake, 'DELETE', `/view/${id}`);
    expect(again.status).toBe(204);
    expect(again.text).toBe('');
  });
});

describe('bodies', () => {
  test('form-encoded bodies are accepted', async () => {
    const r = await call(fake, 'POST', '/database/1/profiles', { form: { email: 'form@example.com', age: '33' } });
    expect(r.status).toBe(201);
    const p = await get(fake, `/profile/${r.headers.get('x-created')}`);
    expect(p.json.fields.email).toBe('form@example.com');
    expect(p.json.fields.age).toBe('33');
  });

  test('PHP-style nested form keys become objects', async () => {
    const r = await call(fake, 'PUT', '/profile/4', { form: { 'fields[firstname]': 'Nested', 'interests[tennis]': '1' } });
    expect(r.status).toBe(303);
    const p = await get(fake, '/profile/4');
    expect(p.json.fields.firstname).toBe('Nested');
    expect(p.json.interests).toContain('tennis');
  });

  test('a broken JSON body is Invalid data provided', async () => {
    const res = await fetch(`${fake.apiUrl}/profile/1/fields?access_token=${fake.accounts[0]!.token}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":',
      redirect: 'manual',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { message: 'Invalid data provided' } });
  });
});

describe('request log', () => {
  test('records method, normalised path, redacted query, route and status', async () => {
    fake.clearRequests();
    await get(fake, '/database/1/profiles/?limit=1&fields[]=age>3');
    await get(fake, '/nope');
    expect(fake.requests).toHaveLength(2);
    const [a, b] = fake.requests;
    expect(a).toMatchObject({ method: 'GET', path: '/database/1/profiles', route: '/database/{databaseId}/profiles', status: 200 });
    expect(a!.query.get('access_token')).toBe('***');
    expect(a!.query.get('fields[]')).toBe('age>3');
    expect(b).toMatchObject({ path: '/nope', route: null, status: 400 });
    await call(fake, 'POST', '/database/1/interests', { body: { name: 'logged', group: 'g' } });
    expect(fake.requests[2]!.body).toEqual({ name: 'logged', group: 'g' });
  });
});

describe('validation order', () => {
  test('a broken JSON body on an unknown profile reports the ID first', async () => {
    const res = await fetch(`${fake.apiUrl}/profile/999999/fields?access_token=${fake.accounts[0]!.token}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":',
      redirect: 'manual',
    });
    expect(((await res.json()) as any).error.message).toBe('No entity with supplied ID');
  });
});
