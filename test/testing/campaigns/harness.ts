/**
 * A tiny stand-in for the fake's HTTP layer: a route table that matches patterns, and an
 * account with a database, a view, a collection with subprofiles, and a miniview.
 */
import type { Readable } from 'node:stream';
import {
  FakeApiError,
  type FakeAccountContext,
  type FakeHandler,
  type FakeMailingTarget,
  type FakeMethod,
  type FakeRecipient,
  type FakeResponse,
  type RouteTable,
} from '../../../src/testing/contract.js';
import { registerCampaignRoutes } from '../../../src/testing/campaigns/index.js';

interface Route {
  method: FakeMethod;
  pattern: string;
  segments: string[];
  handler: FakeHandler;
}

export class TestRoutes implements RouteTable {
  readonly routes: Route[] = [];
  add(method: FakeMethod, pattern: string, handler: FakeHandler): void {
    this.routes.push({ method, pattern, segments: pattern.split('/').slice(1), handler });
  }
  match(method: FakeMethod, path: string): { route: Route; params: Record<string, string> } | undefined {
    const parts = path.split('/').slice(1);
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      route.segments.forEach((seg, i) => {
        const part = parts[i] as string;
        if (seg.startsWith('{')) params[seg.slice(1, -1)] = decodeURIComponent(part);
        else if (seg !== part) ok = false;
      });
      if (ok) return { route, params };
    }
    return undefined;
  }
}

export interface TestReply {
  status: number;
  headers: Record<string, string>;
  contentType?: string;
  body: string;
  json?: unknown;
}

export async function collect(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

export class TestAccount implements FakeAccountContext {
  readonly id = 1;
  readonly name = 'test-account';
  campaignState: unknown = undefined;
  readonly profiles: FakeRecipient[] = [];
  readonly subprofiles: FakeRecipient[] = [];

  constructor() {
    // database 1 "newsletter": profiles 101..110; profile 110 shares an address with 101
    for (let i = 1; i <= 10; i++) {
      const id = 100 + i;
      const email = i === 10 ? 'USER1@example.com' : `user${i}@example.com`;
      this.profiles.push({
        profile: id,
        database: 1,
        email,
        fields: { email, firstname: `Name ${i}`, city: i % 2 ? 'Amsterdam' : 'Utrecht' },
      });
    }
    // profile 111 has no address: never mailed
    this.profiles.push({ profile: 111, database: 1, email: '', fields: { email: '', firstname: 'Nobody', city: '' } });
    // collection 5 "orders" in database 1: subprofiles 501..504 of profiles 101..104
    for (let i = 1; i <= 4; i++) {
      const email = `order${i}@example.com`;
      this.subprofiles.push({
        profile: 100 + i,
        database: 1,
        subprofile: 500 + i,
        collection: 5,
        email,
        fields: { email, order: `A-${i}` },
      });
    }
  }

  recipients(target: FakeMailingTarget): FakeRecipient[] {
    if ('database' in target && (target.database === 1 || target.database === 'newsletter')) return [...this.profiles];
    if ('view' in target && (target.view === 7 || target.view === 'even')) return this.profiles.filter((p) => p.profile % 2 === 0);
    if ('collection' in target && target.collection === 5) return [...this.subprofiles];
    if ('miniview' in target && target.miniview === 9) return this.subprofiles.slice(0, 2);
    throw new FakeApiError('No database with supplied ID');
  }
  profile(id: number) {
    return this.profiles.find((p) => p.profile === id);
  }
  subprofile(id: number) {
    return this.subprofiles.find((s) => s.subprofile === id);
  }
  byEmail(email: string) {
    const e = email.toLowerCase();
    return [...this.profiles, ...this.subprofiles].filter((r) => r.email.toLowerCase() === e);
  }
}

/** Routes plus one account; `call` behaves like the HTTP layer (errors become 400 JSON). */
export function setup() {
  const routes = new TestRoutes();
  registerCampaignRoutes(routes);
  const account = new TestAccount();

  async function call(method: FakeMethod, pathAndQuery: string, body?: unknown): Promise<TestReply> {
    const url = new URL(pathAndQuery, 'http://fake.test/v1/');
    const path = url.pathname.replace(/^\/v1/, '');
    const m = routes.match(method, path);
    if (!m)
      return { status: 400, headers: {}, body: '{"error":{"message":"Invalid method"}}', json: { error: { message: 'Invalid method' } } };
    let res: FakeResponse;
    try {
      res = await m.route.handler({
        method,
        path,
        params: m.params,
        query: url.searchParams,
        body,
        account,
        apiUrl: 'http://fake.test/v1',
      });
    } catch (err) {
      if (err instanceof FakeApiError) {
        const json = { error: { message: err.message } };
        return { status: err.status, headers: {}, body: JSON.stringify(json), json };
      }
      throw err;
    }
    let text = '';
    if (res.stream) text = await collect(res.stream);
    else if (res.text !== undefined) text = res.text;
    else if (res.json !== undefined) text = JSON.stringify(res.json);
    const reply: TestReply = { status: res.status, headers: res.headers ?? {}, body: text };
    if (res.contentType !== undefined) reply.contentType = res.contentType;
    if (res.json !== undefined || /json/.test(res.contentType ?? '')) reply.json = text === '' ? undefined : JSON.parse(text);
    return reply;
  }

  async function get<T = unknown>(pathAndQuery: string): Promise<T> {
    const r = await call('GET', pathAndQuery);
    if (r.status !== 200) throw new Error(`GET ${pathAndQuery} → ${r.status} ${r.body}`);
    return (r.json ?? r.body) as T;
  }

  return { routes, account, call, get };
}

/** RFC 4180 parser (quoted fields may hold commas, quotes and line breaks). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"') {
      quoted = true;
      i++;
      continue;
    }
    if (c === ',') {
      row.push(field);
      field = '';
      i++;
      continue;
    }
    if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
      continue;
    }
    if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
      continue;
    }
    field += c;
    i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** Parse the `<records><record><col>…</col></record></records>` layout. */
export function parseXmlRecords(xml: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  const root = /<records>([\s\S]*)<\/records>/.exec(xml);
  if (!root) throw new Error('no <records> root');
  for (const rec of (root[1] as string).matchAll(/<record>([\s\S]*?)<\/record>/g)) {
    const obj: Record<string, string> = {};
    for (const el of (rec[1] as string).matchAll(/<([a-z]+)>([\s\S]*?)<\/\1>/g)) {
      obj[el[1] as string] = (el[2] as string).replace(/&(#\d+|[a-z]+);/g, (_, e: string) =>
        e.startsWith('#') ? String.fromCharCode(Number(e.slice(1))) : (ENTITIES[e] as string),
      );
    }
    out.push(obj);
  }
  return out;
}
