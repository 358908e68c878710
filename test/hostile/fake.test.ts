/**
 * Hostile loopback clients of the fake server (issue 11, "The fake cannot be used to attack the
 * process that embeds it"). The fake runs inside the test runner that embeds it, so every attack
 * here is checked in this very process: prototype pollution through form, text and JSON bodies,
 * unbounded bodies, huge headers, deep nesting, and path tricks. Prints its counts at the end.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';

let fake: FakeCopernica;
let small: FakeCopernica;
const counts = { cases: 0, bodies: 0, pollutionProbes: 0 };

beforeAll(async () => {
  fake = await createFakeCopernica({ seed: 11, profiles: 20 });
  small = await createFakeCopernica({ seed: 11, profiles: 5, maxBodyBytes: 1024 });
});
afterAll(async () => {
  await fake.close();
  await small.close();
  console.log(`hostile fake: ${counts.cases} cases, ${counts.bodies} hostile bodies sent, ${counts.pollutionProbes} prototype probes`);
});

interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * One request over a raw socket. `declaredLength` sets Content-Length without sending that much;
 * `chunks` are written one after another (stopping when the reply arrives). The reply is whatever
 * the server answered, even while the body was still being written.
 */
function raw(
  f: FakeCopernica,
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; chunks?: Buffer[]; declaredLength?: number } = {},
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.declaredLength !== undefined) headers['Content-Length'] = String(opts.declaredLength);
    const req = httpRequest({ host: '127.0.0.1', port: f.port, method, path, headers, agent: false });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    // The server may close its side while we still write: that is the point of the limit.
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const chunks = opts.chunks ?? [];
    let i = 0;
    const writeNext = (): void => {
      if (answered || i >= chunks.length) {
        if (opts.declaredLength === undefined || answered) req.end();
        return;
      }
      req.write(chunks[i++] as Buffer, () => setImmediate(writeNext));
    };
    writeNext();
  });
}

const tokenOf = (f: FakeCopernica) => f.accounts[0]!.token;
const protoIsClean = (): void => {
  counts.pollutionProbes++;
  const probe: Record<string, unknown> = {};
  expect(probe.polluted).toBeUndefined();
  expect(probe.isAdmin).toBeUndefined();
  expect(Object.prototype.toString).toBe(PRISTINE_TO_STRING);
  expect(Object.getPrototypeOf(probe)).toBe(Object.prototype);
  expect(Object.keys(Object.prototype)).toEqual([]);
};
const PRISTINE_TO_STRING = Object.prototype.toString;

async function post(path: string, body: string, contentType: string | undefined, token: string | null): Promise<Response> {
  counts.bodies++;
  const q = token ? `?access_token=${token}` : '';
  return fetch(`${fake.apiUrl}${path}${q}`, { method: 'POST', body, headers: contentType ? { 'Content-Type': contentType } : {} });
}

describe('prototype pollution through request bodies', () => {
  test('issue 11: a form body __proto__[polluted]=yes without a token leaves Object.prototype alone', async () => {
    counts.cases++;
    const r = await post('/database/1/profiles', '__proto__[polluted]=yes', 'application/x-www-form-urlencoded', null);
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ error: { message: 'Invalid access token' } });
    protoIsClean();
  });

  test('issue 11: a text body __proto__[toString]=x does not replace Object.prototype.toString', async () => {
    counts.cases++;
    for (const token of [null, tokenOf(fake)]) {
      const r = await post('/database/1/profiles', '__proto__[toString]=x', 'text/plain', token);
      await r.text();
      protoIsClean();
      expect(String({})).toBe('[object Object]');
    }
  });

  test('authenticated form and JSON bodies with __proto__, constructor and prototype keys stay plain data', async () => {
    const forms = [
      '__proto__[polluted]=yes',
      'constructor[prototype][polluted]=yes',
      'fields[__proto__][polluted]=yes',
      'a[][__proto__][polluted]=yes',
      '__proto__[]=yes',
      'prototype[polluted]=yes',
    ];
    const jsons = [
      '{"__proto__":{"polluted":"yes","isAdmin":true}}',
      '{"fields":{"__proto__":{"polluted":"yes"}}}',
      '{"constructor":{"prototype":{"polluted":"yes"}}}',
      '[{"__proto__":{"polluted":"yes"}}]',
    ];
    const paths = [
      '/database/1/profiles',
      '/profile/3',
      '/profile/3/fields',
      '/profile/3/subprofiles/1',
      '/database/1/unsubscribe',
      '/profile/4/interests',
    ];
    for (const p of paths) {
      for (const f of forms) {
        counts.cases++;
        await (await post(p, f, 'application/x-www-form-urlencoded', tokenOf(fake))).text();
        protoIsClean();
      }
      for (const j of jsons) {
        counts.cases++;
        await (await post(p, j, 'application/json', tokenOf(fake))).text();
        protoIsClean();
      }
    }
    // The request log keeps the key as plain own data.
    const logged = fake.requests
      .filter((r) => r.method === 'POST' && r.path === '/database/1/profiles')
      .map((r) => r.body as Record<string, unknown>);
    const withProto = logged.find(
      (b) =>
        b &&
        Object.hasOwn(b, '__proto__') &&
        (Object.getOwnPropertyDescriptor(b, '__proto__')?.value as { polluted?: string } | undefined)?.polluted === 'yes',
    );
    expect(withProto).toBeDefined();
    expect(Object.getPrototypeOf(withProto)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(withProto, '__proto__')?.value).toEqual({ polluted: 'yes' });
  });

  test('a created profile with a __proto__ key in its body is an ordinary profile', async () => {
    counts.cases++;
    const r = await post('/database/1/profiles', '{"__proto__":{"isAdmin":true},"firstname":"Plain"}', 'application/json', tokenOf(fake));
    expect(r.status).toBe(201);
    const id = r.headers.get('x-created');
    const p = (await (await fetch(`${fake.apiUrl}/profile/${id}?access_token=${tokenOf(fake)}`)).json()) as Record<string, any>;
    expect(p.fields.firstname).toBe('Plain');
    expect(p.isAdmin).toBeUndefined();
    expect(Object.getPrototypeOf(p)).toBe(Object.prototype);
    protoIsClean();
  });

  test('a field named __proto__ keeps its value in profile replies (an own key, not a prototype)', async () => {
    counts.cases++;
    const t = tokenOf(fake);
    const made = await post('/database/1/fields', '{"name":"__proto__","type":"text"}', 'application/json', t);
    expect(made.status).toBe(201);
    const r = await post('/database/1/profiles', '{"fields":{"__proto__":"kept","firstname":"Proto"}}', 'application/json', t);
    expect(r.status).toBe(201);
    const text = await (await fetch(`${fake.apiUrl}/profile/${r.headers.get('x-created')}?access_token=${t}`)).text();
    const p = JSON.parse(text) as { fields: Record<string, unknown> };
    expect(Object.hasOwn(p.fields, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(p.fields, '__proto__')?.value).toBe('kept');
    expect(p.fields.firstname).toBe('Proto');
    protoIsClean();
  });

  test('a __proto__ key merged into a stored rule condition or unsubscribe fields stays an own key, never a prototype', async () => {
    counts.cases += 2;
    counts.bodies += 2;
    const rule = [...fake.account().rules.values()].find((r) => r.conditions.length > 0)!;
    const cond = rule.conditions[0]!;
    const r = await fetch(`${fake.apiUrl}/rule/${rule.id}/conditions/${cond.id}?access_token=${tokenOf(fake)}`, {
      method: 'PUT',
      body: '{"__proto__":{"isAdmin":true}}',
      headers: { 'Content-Type': 'application/json' },
      redirect: 'manual',
    });
    expect(r.status).toBe(303);
    expect(Object.getPrototypeOf(cond.props)).toBe(Object.prototype);
    expect((cond.props as { isAdmin?: boolean }).isAdmin).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(cond.props, '__proto__')?.value).toEqual({ isAdmin: true });
    const u = await fetch(`${fake.apiUrl}/database/1/unsubscribe?access_token=${tokenOf(fake)}`, {
      method: 'PUT',
      body: '{"behavior":"update","fields":{"__proto__":"x","email":""}}',
      headers: { 'Content-Type': 'application/json' },
      redirect: 'manual',
    });
    expect(u.status).toBe(303);
    const back = (await (await fetch(`${fake.apiUrl}/database/1/unsubscribe?access_token=${tokenOf(fake)}`)).json()) as {
      fields: Record<string, unknown>;
    };
    expect(Object.keys(back.fields).sort()).toEqual(['__proto__', 'email']);
    protoIsClean();
  });

  test('nesting deeper than 64 levels is Invalid data provided, and the fake stays up', async () => {
    counts.cases += 2;
    const deepJson = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const a = await post('/profile/3', deepJson, 'application/json', tokenOf(fake));
    expect(a.status).toBe(400);
    expect(((await a.json()) as any).error.message).toBe('Invalid data provided');
    const deepForm = `a${'[x]'.repeat(200)}=1`;
    const b = await post('/profile/3', deepForm, 'application/x-www-form-urlencoded', tokenOf(fake));
    expect(b.status).toBe(400);
    expect(((await b.json()) as any).error.message).toBe('Invalid data provided');
    expect((await fetch(`${fake.apiUrl}/identity?access_token=${tokenOf(fake)}`)).status).toBe(200);
  });
});

describe('bodies without limit', () => {
  test('issue 11: a declared 400 MB body is refused with 413 before it is read', async () => {
    counts.cases++;
    counts.bodies++;
    // Only 64 KiB of the declared 400 MB is ever sent: the reply proves the fake did not wait for the rest.
    const r = await raw(fake, 'POST', `/v1/database/1/profiles?access_token=${tokenOf(fake)}`, {
      headers: { 'Content-Type': 'application/json' },
      declaredLength: 400 * 1024 * 1024,
      chunks: [Buffer.alloc(64 * 1024, 0x20)],
    });
    expect(r.status).toBe(413);
    expect(r.headers.connection).toBe('close');
    expect(JSON.parse(r.text).error.message).toMatch(/larger than 16777216 bytes/);
  });

  test('a chunked body that grows past maxBodyBytes is refused with 413 while it is read', async () => {
    counts.cases++;
    counts.bodies++;
    const chunks = Array.from({ length: 64 }, () => Buffer.alloc(512, 0x61));
    const r = await raw(small, 'POST', `/v1/database/1/profiles?access_token=${tokenOf(small)}`, {
      headers: { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' },
      chunks,
    });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.text).error.message).toBe('Request body larger than 1024 bytes');
    const log = small.requests.at(-1)!;
    expect(log.status).toBe(413);
    expect(log.body).toBeUndefined();
  });

  test('a body at the limit is read as usual; one byte more is 413', async () => {
    counts.cases += 2;
    const body = JSON.stringify({ firstname: 'Fits' }).padEnd(1024, ' ');
    expect(Buffer.byteLength(body)).toBe(1024);
    const r = await fetch(`${small.apiUrl}/database/1/profiles?access_token=${tokenOf(small)}`, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(r.status).toBe(201);
    const over = await fetch(`${small.apiUrl}/database/1/profiles?access_token=${tokenOf(small)}`, {
      method: 'POST',
      body: `${body} `,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(over.status).toBe(413);
  });

  test('without a valid token the body is discarded, never decoded: 400 Invalid access token; over the limit 413', async () => {
    counts.cases += 2;
    counts.bodies += 2;
    const body = Buffer.from('{"__proto__":{"polluted":"yes"}}');
    const r = await raw(small, 'POST', '/v1/database/1/profiles?access_token=wrong', {
      headers: { 'Content-Type': 'application/json' },
      declaredLength: body.length,
      chunks: [body],
    });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toEqual({ error: { message: 'Invalid access token' } });
    expect(small.requests.at(-1)!.body).toBeUndefined();
    protoIsClean();
    const big = await raw(small, 'POST', '/v1/database/1/profiles?access_token=wrong', {
      headers: { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' },
      chunks: Array.from({ length: 8 }, () => Buffer.alloc(512, 0x61)),
    });
    expect(big.status).toBe(413);
  });

  test('the authorize page bounds its form body too', async () => {
    counts.cases++;
    counts.bodies++;
    const r = await raw(small, 'POST', '/en/authorize', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      declaredLength: 1_000_000,
      chunks: [Buffer.from('username=a')],
    });
    expect(r.status).toBe(413);
  });

  test('maxBodyBytes and deleteMissingStatus are validated', async () => {
    counts.cases++;
    await expect(createFakeCopernica({ maxBodyBytes: -1 })).rejects.toThrow(TypeError);
    await expect(createFakeCopernica({ maxBodyBytes: Number.NaN })).rejects.toThrow(TypeError);
    await expect(createFakeCopernica({ deleteMissingStatus: 200 as 204 })).rejects.toThrow(TypeError);
  });
});

describe('headers, URLs and paths', () => {
  test('a 100 KB URL or header is refused by the HTTP layer (431), and the fake stays up', async () => {
    counts.cases += 2;
    const longUrl = await raw(fake, 'GET', `/v1/identity?access_token=${tokenOf(fake)}&x=${'a'.repeat(100_000)}`);
    expect(longUrl.status).toBe(431);
    const longHeader = await raw(fake, 'GET', `/v1/identity?access_token=${tokenOf(fake)}`, { headers: { 'X-Junk': 'b'.repeat(100_000) } });
    expect(longHeader.status).toBe(431);
    expect((await raw(fake, 'GET', `/v1/identity?access_token=${tokenOf(fake)}`)).status).toBe(200);
  });

  test('an encoded slash or dots in an ID slot never reach another entity', async () => {
    const t = tokenOf(fake);
    for (const p of [
      '/v1/profile/..%2F5',
      '/v1/profile/5%2F..',
      '/v1/profile/%2e%2e',
      '/v1/profile/.',
      '/v1/profile//5',
      '/v1/profile/%35%2F',
    ]) {
      counts.cases++;
      const r = await raw(fake, 'DELETE', `${p}?access_token=${t}`);
      expect(r.status, p).toBe(400);
      expect(JSON.parse(r.text).error.message, p).toBe('No entity with supplied ID');
    }
    const still = (await (await fetch(`${fake.apiUrl}/profile/5?access_token=${t}`)).json()) as Record<string, any>;
    expect(still.removed === undefined || still.removed === false).toBe(true);
  });
});
