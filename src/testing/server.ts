/**
 * The HTTP layer of the fake: path normalisation, authentication, body decoding, routing,
 * status/header conventions (201/303/X-deleted/204), errors, the request log and fault injection.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { FakeApiError, type FakeMethod, type FakeResponse } from './contract.js';
import { Faults, loadBalancerPage, type FaultRule } from './faults.js';
import type { OAuthServer } from './oauth.js';
import type { Router } from './router.js';
import type { Account, Store } from './store.js';

/** One API request received by the fake (see {@link FakeCopernica.requests}). */
export interface LoggedRequest {
  /** HTTP method, e.g. `GET`. */
  method: string;
  /** Path below `/v1`, normalised (no query, no doubled or trailing slashes). */
  path: string;
  /** Query with `access_token`, `client_secret` and `code` replaced by `***`. */
  query: URLSearchParams;
  /** The matched route pattern, e.g. `/database/{databaseId}/profiles`, or null. */
  route: string | null;
  /** Status sent; 0 when the connection was reset before any headers. */
  status: number;
  /** The decoded request body (JSON value, flat object for forms, or undefined). */
  body: unknown;
}

export interface ServerOptions {
  store: Store;
  router: Router;
  oauth: OAuthServer;
  tokens: Map<string, number>;
  faults: Faults;
  putStatus: 200 | 303;
  latencyMs: number;
  maxLogEntries: number;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE']);
const SECRET_PARAMS = ['access_token', 'client_secret', 'code'];

function errorBody(message: string): string {
  return JSON.stringify({ error: { message } });
}

/** Form bodies: flat pairs; `a[b]=c` nests one level per bracket, `a[]=x` appends. */
export function decodeForm(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const m = /^([^[\]]+)((?:\[[^\]]*\])+)$/.exec(key);
    if (!m) {
      out[key] = value;
      continue;
    }
    const path = [m[1] as string, ...[...(m[2] as string).matchAll(/\[([^\]]*)\]/g)].map((x) => x[1] as string)];
    let cur: Record<string, unknown> | unknown[] = out;
    for (let i = 0; i < path.length; i++) {
      const k = path[i] as string;
      const last = i === path.length - 1;
      if (Array.isArray(cur)) {
        if (last) cur.push(value);
        else {
          const next: Record<string, unknown> = {};
          cur.push(next);
          cur = next;
        }
        continue;
      }
      if (last) {
        cur[k] = value;
        break;
      }
      const nextIsArray = path[i + 1] === '';
      let next = cur[k];
      if (typeof next !== 'object' || next === null) cur[k] = next = nextIsArray ? [] : {};
      cur = next as Record<string, unknown> | unknown[];
    }
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function streamToBuffer(s: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks);
}

export class FakeHttpServer {
  readonly server: Server;
  readonly log: LoggedRequest[] = [];
  private port = 0;

  constructor(private readonly o: ServerOptions) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        console.error('[copernica-fake] internal error', err);
        if (!res.headersSent) {
          res.writeHead(500, { 'Content-Type': 'application/json' });
          res.end(errorBody('Internal error in the fake server'));
        } else res.destroy();
      });
    });
    this.server.keepAliveTimeout = 5_000;
  }

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private record(entry: LoggedRequest): void {
    this.log.push(entry);
    if (this.log.length > this.o.maxLogEntries) this.log.splice(0, this.log.length - this.o.maxLogEntries);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = req.url ?? '/';
    const qi = raw.indexOf('?');
    const rawPath = qi >= 0 ? raw.slice(0, qi) : raw;
    const query = new URLSearchParams(qi >= 0 ? raw.slice(qi + 1) : '');
    const segs = rawPath.split('/').filter((s) => s !== '');
    const bodyBuf = req.method === 'GET' || req.method === 'HEAD' ? Buffer.alloc(0) : await readBody(req);

    if (segs[0] !== 'v1') {
      if (segs.length === 2 && (segs[0] === 'en' || segs[0] === 'nl') && segs[1] === 'authorize') {
        const form = new URLSearchParams(req.method === 'POST' ? bodyBuf.toString('utf8') : '');
        const r = this.o.oauth.authorize(segs[0], req.method ?? 'GET', query, form);
        res.writeHead(r.status, r.headers);
        res.end(r.html ?? '');
        return;
      }
      res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>');
      return;
    }

    const apiSegs = segs.slice(1);
    let decoded: string[] | undefined;
    try {
      decoded = apiSegs.map((s) => decodeURIComponent(s));
    } catch {
      decoded = undefined;
    }
    const path = `/${apiSegs.join('/')}`;
    const method = (req.method ?? 'GET').toUpperCase();
    const logQuery = new URLSearchParams(query);
    for (const k of SECRET_PARAMS) if (logQuery.has(k)) logQuery.set(k, '***');

    // Body decoding
    let body: unknown;
    if (bodyBuf.length > 0) {
      const text = bodyBuf.toString('utf8');
      const ct = String(req.headers['content-type'] ?? '').toLowerCase();
      if (ct.includes('application/x-www-form-urlencoded')) body = decodeForm(text);
      else if (ct.includes('json') || /^\s*[[{"]/.test(text)) {
        try {
          body = JSON.parse(text);
        } catch {
          body = text; // not an object: handlers answer `Invalid data provided` after checking the path ID
        }
      } else body = decodeForm(text);
    }

    const isToken = method === 'GET' && decoded?.length === 1 && decoded[0] === 'token';
    const match = decoded && METHODS.has(method) && !isToken ? this.o.router.match(method as FakeMethod, decoded) : undefined;
    const route = isToken ? '/token' : (match?.pattern ?? null);
    const entry: LoggedRequest = { method, path, query: logQuery, route, status: 0, body };
    this.record(entry);

    // Faults and latency
    const triggered = this.o.faults.pick(method, route, path);
    const delay = this.o.latencyMs + triggered.latencyMs;
    if (delay > 0) await sleep(delay);
    const fault = triggered.fault;
    if (fault?.kind === 'reset-before-headers') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      const status = fault.status ?? 503;
      const headers: Record<string, string> = {};
      const retryAfter = fault.retryAfter ?? (status === 429 ? 1 : undefined);
      if (retryAfter !== undefined) headers['Retry-After'] = String(retryAfter);
      entry.status = status;
      if (status === 429) this.send(res, status, { ...headers, 'Content-Type': 'application/json' }, Buffer.from(errorBody('Too many requests')), undefined);
      else this.send(res, status, { ...headers, 'Content-Type': 'text/html' }, Buffer.from(loadBalancerPage(status)), undefined);
      return;
    }

    // Handle
    const host = req.headers.host ?? `127.0.0.1:${this.port}`;
    const apiUrl = `http://${host}/v1`;
    let out: FakeResponse;
    let effectiveMethod = method;
    try {
      if (isToken) {
        const r = this.o.oauth.exchange(query);
        out = 'token' in r ? { status: 200, json: { access_token: r.token } } : { status: 400, json: { error: { message: r.error } } };
      } else {
        const token = query.get('access_token');
        const accountId = token ? this.o.tokens.get(token) : undefined;
        const account = accountId !== undefined ? this.o.store.accounts.get(accountId) : undefined;
        if (!account) throw new FakeApiError('Invalid access token');
        if (!match) throw new FakeApiError('Invalid method');
        effectiveMethod = match.method;
        out = await match.handler({ method: match.method, path: `/${(decoded as string[]).join('/')}`, params: match.params, query, body, account: account as Account, apiUrl });
      }
    } catch (err) {
      if (!(err instanceof FakeApiError)) throw err;
      out = { status: err.status, json: { error: { message: err.message } } };
    }

    const headers: Record<string, string> = { ...(out.headers ?? {}) };
    let status = out.status;
    const empty = out.json === undefined && out.text === undefined && out.stream === undefined;
    if (effectiveMethod === 'PUT' && status === 200 && empty && this.o.putStatus === 303) {
      status = 303;
      headers.Location = `http://${host}${raw}`;
    }
    entry.status = status;

    let payload: Buffer | undefined;
    let stream: Readable | undefined;
    if (out.json !== undefined) {
      payload = Buffer.from(JSON.stringify(out.json));
      headers['Content-Type'] = out.contentType ?? 'application/json';
    } else if (out.text !== undefined) {
      payload = Buffer.from(out.text);
      headers['Content-Type'] = out.contentType ?? 'text/plain; charset=utf-8';
    } else if (out.stream !== undefined) {
      stream = out.stream;
      if (out.contentType) headers['Content-Type'] = out.contentType;
    }
    if (fault && stream) {
      payload = await streamToBuffer(stream);
      stream = undefined;
    }
    if (fault?.kind === 'malformed-json') {
      const text = payload?.toString('utf8') ?? '';
      payload = Buffer.from(text.length > 2 ? `${text.slice(0, Math.floor(text.length / 2))}<html>not json` : '{"error": <oops>');
      headers['Content-Type'] = 'application/json';
      if (status === 204 || status === 303) {
        status = 200;
        delete headers.Location;
      }
      entry.status = status;
    } else if (fault?.kind === 'truncated-json') {
      const full = payload ?? Buffer.from('{"start":0,"limit":100,"count":0,"data":[]}');
      payload = full.subarray(0, Math.max(1, Math.floor(full.length / 2)));
      headers['Content-Type'] = headers['Content-Type'] ?? 'application/json';
      if (status === 204 || status === 303) {
        status = 200;
        delete headers.Location;
      }
      entry.status = status;
    } else if (fault?.kind === 'reset-mid-body' || fault?.kind === 'stall-body') {
      const full = payload && payload.length > 1 ? payload : Buffer.from('{"start":0,"limit":100,"count":0,"data":[]}');
      headers['Content-Length'] = String(full.length);
      headers['Content-Type'] = headers['Content-Type'] ?? 'application/json';
      if (status === 204 || status === 303) {
        status = 200;
        delete headers.Location;
      }
      entry.status = status;
      res.writeHead(status, headers);
      const part = full.subarray(0, Math.floor(full.length / 2));
      if (fault.kind === 'reset-mid-body') res.write(part, () => setTimeout(() => res.destroy(), 5));
      else res.write(part); // stall: never finish; close() ends the socket
      return;
    }
    this.send(res, status, headers, payload, stream);
  }

  private send(res: ServerResponse, status: number, headers: Record<string, string>, payload: Buffer | undefined, stream: Readable | undefined): void {
    if (stream) {
      res.writeHead(status, headers);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
      return;
    }
    if (status !== 204) headers['Content-Length'] = String(payload?.length ?? 0);
    res.writeHead(status, headers);
    res.end(status === 204 ? undefined : payload);
  }
}

export type { FaultRule };
