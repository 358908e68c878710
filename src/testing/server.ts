/**
 * The HTTP layer of the fake: path splitting, authentication, bounded body reading and decoding,
 * routing, status/header conventions (201/303/X-deleted/204), errors, the request log and fault injection.
 *
 * The fake runs inside other people's test runners, so a hostile loopback client must not be able
 * to reach the embedding process: bodies are read only after the token is checked, are refused
 * (413) over `maxBodyBytes` before they are buffered, and decoded bodies hold `__proto__`,
 * `constructor` and `prototype` keys as plain own data, never as a prototype.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { FakeApiError, type FakeMethod, type FakeResponse } from './contract.js';
import { type Faults, loadBalancerPage, type FaultRule } from './faults.js';
import type { OAuthServer } from './oauth.js';
import type { Router } from './router.js';
import { checkPath, matchRoute, missingElement } from './routes/paths.js';
import type { Store } from './store.js';
import { setOwn } from './util.js';

/** One API request received by the fake (see {@link FakeCopernica.requests}). */
export interface LoggedRequest {
  /** HTTP method, e.g. `GET`. */
  method: string;
  /** Path below `/v1` as sent, without query and trailing slashes (empty inner segments are kept, as live). */
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
  /** Largest request body read, in bytes; a larger one is refused with 413 before it is buffered. */
  maxBodyBytes: number;
  /** Status of a DELETE whose (sub)profile never existed: 400 (live) or 204 (the v1 pages). */
  deleteMissingStatus: 400 | 204;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE']);
const SECRET_PARAMS = ['access_token', 'client_secret', 'code'];

/**
 * The segments of a request path. Trailing slashes are dropped, however many; an empty segment
 * inside the path is kept (`profile//123` has an empty ID slot), as the live service does.
 */
export function splitPath(rawPath: string): string[] {
  const segs = rawPath.split('/');
  if (segs[0] === '') segs.shift();
  while (segs.length > 0 && segs[segs.length - 1] === '') segs.pop();
  return segs;
}

function errorBody(message: string): string {
  return JSON.stringify({ error: { message } });
}

/** Nesting deeper than this in a request body is refused (`Invalid data provided`): no stack to exhaust. */
export const MAX_BODY_DEPTH = 64;

type Dict = Record<string, unknown>;

/**
 * Form bodies: flat pairs; `a[b]=c` nests one level per bracket, `a[]=x` appends. Keys are read and
 * written as own properties only, so `__proto__[polluted]=yes` is a key named `__proto__` holding
 * `{polluted: 'yes'}`, never a write into `Object.prototype`. Deeper than {@link MAX_BODY_DEPTH}
 * → `Invalid data provided`.
 */
export function decodeForm(text: string): Record<string, unknown> {
  const out: Dict = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const m = /^([^[\]]+)((?:\[[^\]]*\])+)$/.exec(key);
    if (!m) {
      setOwn(out, key, value);
      continue;
    }
    const path = [m[1] as string, ...[...(m[2] as string).matchAll(/\[([^\]]*)\]/g)].map((x) => x[1] as string)];
    if (path.length > MAX_BODY_DEPTH) throw new FakeApiError('Invalid data provided');
    let cur: Dict | unknown[] = out;
    for (let i = 0; i < path.length; i++) {
      const k = path[i] as string;
      const last = i === path.length - 1;
      if (Array.isArray(cur)) {
        if (last) cur.push(value);
        else {
          const next: Dict = {};
          cur.push(next);
          cur = next;
        }
        continue;
      }
      if (last) {
        setOwn(cur, k, value);
        break;
      }
      const nextIsArray = path[i + 1] === '';
      let next = Object.hasOwn(cur, k) ? cur[k] : undefined;
      if (typeof next !== 'object' || next === null) setOwn(cur, k, (next = nextIsArray ? [] : {}));
      cur = next as Dict | unknown[];
    }
  }
  return out;
}

/**
 * Refuse a parsed JSON value nested deeper than {@link MAX_BODY_DEPTH} (`Invalid data provided`).
 * JSON.parse itself makes a `__proto__` key an own data property; nothing here copies by assignment.
 */
export function checkDepth(v: unknown, depth = 0): void {
  if (typeof v !== 'object' || v === null) return;
  if (depth >= MAX_BODY_DEPTH) throw new FakeApiError('Invalid data provided');
  for (const x of Array.isArray(v) ? v : Object.values(v)) checkDepth(x, depth + 1);
}

/** Read and discard a body without keeping any of it; false as soon as more than `max` bytes have arrived. */
function discardBody(req: IncomingMessage, max: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > max) {
        req.off('data', onData);
        req.pause();
        resolve(false);
      }
    };
    req.on('data', onData);
    req.on('end', () => resolve(true));
    req.on('error', reject);
  });
}

/** The body, or `'too-large'` as soon as more than `max` bytes have arrived (the rest is never buffered). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > max) {
        chunks.length = 0;
        req.off('data', onData);
        req.pause();
        resolve('too-large');
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
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
    // Incomplete requests are checked for the timeouts below every 2 s (Node's default: 30 s).
    this.server = createServer({ connectionsCheckingInterval: 2_000 }, (req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        console.error('[copernica-fake] internal error', err);
        if (!res.headersSent) {
          res.writeHead(500, { 'Content-Type': 'application/json' });
          res.end(errorBody('Internal error in the fake server'));
        } else res.destroy();
      });
    });
    this.server.keepAliveTimeout = 5_000;
    // Slow clients: headers must arrive within 10 s and a whole request within 60 s (Node's
    // defaults are 60 s and 5 min); headers over Node's 16 KiB (URL included) get 431.
    this.server.headersTimeout = 10_000;
    this.server.requestTimeout = 60_000;
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

  /** Answer without reading (the rest of) the request body; the connection closes after the reply. */
  private sendUnread(req: IncomingMessage, res: ServerResponse, status: number, message: string): void {
    const payload = Buffer.from(errorBody(message));
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(payload.length), Connection: 'close' });
    res.end(payload, () => {
      // Whatever the client still sends is never read: drop the socket once the reply is out.
      req.socket.destroySoon();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = req.url ?? '/';
    const qi = raw.indexOf('?');
    const rawPath = qi >= 0 ? raw.slice(0, qi) : raw;
    const query = new URLSearchParams(qi >= 0 ? raw.slice(qi + 1) : '');
    const segs = splitPath(rawPath);
    const method = (req.method ?? 'GET').toUpperCase();
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    const declared = Number(req.headers['content-length'] ?? 0);
    const tooLarge = `Request body larger than ${this.o.maxBodyBytes} bytes`;
    const read = async (): Promise<Buffer | undefined> => {
      if (!hasBody || method === 'GET' || method === 'HEAD') return Buffer.alloc(0);
      if (declared > this.o.maxBodyBytes) return undefined;
      const b = await readBody(req, this.o.maxBodyBytes);
      return b === 'too-large' ? undefined : b;
    };

    // Live, the version-less URL of a 303's Location works too: a path whose first segment starts
    // a route (`profile/…`) is served as if `/v1` preceded it.
    const versionless = segs[0] !== 'v1' && segs[0] !== undefined && this.o.router.hasFirst(segs[0]);
    if (segs[0] !== 'v1' && !versionless) {
      if (segs.length === 2 && (segs[0] === 'en' || segs[0] === 'nl') && segs[1] === 'authorize') {
        const bodyBuf = await read();
        if (!bodyBuf) return this.sendUnread(req, res, 413, tooLarge);
        const form = new URLSearchParams(req.method === 'POST' ? bodyBuf.toString('utf8') : '');
        const r = this.o.oauth.authorize(segs[0], req.method ?? 'GET', query, form);
        res.writeHead(r.status, r.headers);
        res.end(r.html ?? '');
        return;
      }
      res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8', ...(hasBody ? { Connection: 'close' } : {}) });
      res.end('<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>');
      return;
    }

    const apiSegs = versionless ? segs : segs.slice(1);
    let decoded: string[] | undefined;
    try {
      decoded = apiSegs.map((s) => decodeURIComponent(s));
    } catch {
      decoded = undefined;
    }
    const path = `/${apiSegs.join('/')}`;
    const logQuery = new URLSearchParams(query);
    for (const k of SECRET_PARAMS) if (logQuery.has(k)) logQuery.set(k, '***');

    const isToken = method === 'GET' && decoded?.length === 1 && decoded[0] === 'token';
    const match = decoded && METHODS.has(method) && !isToken ? matchRoute(this.o.router, method as FakeMethod, decoded) : undefined;
    const route = isToken ? '/token' : (match?.pattern ?? null);
    const entry: LoggedRequest = { method, path, query: logQuery, route, status: 0, body: undefined };
    this.record(entry);

    // Authentication comes before the body is read: an anonymous client cannot make the fake buffer
    // anything. Its body (within the limit) is discarded unread, so the reply arrives on a connection
    // that stays usable (closing with unread data would reset it and lose the reply).
    const token = query.get('access_token');
    const accountId = token ? this.o.tokens.get(token) : undefined;
    const account = accountId !== undefined ? this.o.store.accounts.get(accountId) : undefined;
    const anonymous = !isToken && !account;
    if (anonymous && hasBody && (declared > this.o.maxBodyBytes || !(await discardBody(req, this.o.maxBodyBytes)))) {
      entry.status = 413;
      return this.sendUnread(req, res, 413, tooLarge);
    }
    const bodyBuf = anonymous ? Buffer.alloc(0) : await read();
    if (!bodyBuf) {
      entry.status = 413;
      return this.sendUnread(req, res, 413, tooLarge);
    }

    // Body decoding: keys become own data properties only (see decodeForm / checkDepth).
    let body: unknown;
    let bodyError: FakeApiError | undefined;
    if (bodyBuf.length > 0) {
      const text = bodyBuf.toString('utf8');
      const ct = String(req.headers['content-type'] ?? '').toLowerCase();
      try {
        if (ct.includes('application/x-www-form-urlencoded')) body = decodeForm(text);
        else if (ct.includes('json') || /^\s*[[{"]/.test(text)) {
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = text; // not an object: handlers answer `Invalid data provided` after checking the path ID
          }
          checkDepth(parsed);
          body = parsed;
        } else body = decodeForm(text);
      } catch (err) {
        if (!(err instanceof FakeApiError)) throw err;
        bodyError = err; // too deep: reported after the path checks, as every body error is
        body = undefined;
      }
    }
    entry.body = body;

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
      if (status === 429)
        this.send(res, status, { ...headers, 'Content-Type': 'application/json' }, Buffer.from(errorBody('Too many requests')), undefined);
      else this.send(res, status, { ...headers, 'Content-Type': 'text/html' }, Buffer.from(loadBalancerPage(status)), undefined);
      return;
    }

    // Handle
    const host = req.headers.host ?? `127.0.0.1:${this.port}`;
    const apiUrl = `http://${host}/v1`;
    let out: FakeResponse;
    try {
      if (isToken) {
        const r = this.o.oauth.exchange(query);
        out = 'token' in r ? { status: 200, json: { access_token: r.token } } : { status: 400, json: { error: { message: r.error } } };
      } else {
        if (!account) throw new FakeApiError('Invalid access token');
        // The live order of checks: first segment, missing ID, the ID itself, removed (DELETE), sub-path, body.
        checkPath(method, decoded ?? apiSegs, account, this.o.deleteMissingStatus);
        if (!match) throw new FakeApiError(missingElement(this.o.router, method, decoded ?? apiSegs) ?? 'Invalid method');
        if (bodyError) throw bodyError;
        out = await match.handler({
          method: match.method,
          path: `/${(decoded as string[]).join('/')}`,
          params: match.params,
          query,
          body,
          account,
          apiUrl,
        });
      }
    } catch (err) {
      if (!(err instanceof FakeApiError)) throw err;
      out = { status: err.status, json: { error: { message: err.message } } };
    }

    const headers: Record<string, string> = { ...(out.headers ?? {}) };
    let status = out.status;
    const empty = out.json === undefined && out.text === undefined && out.stream === undefined;
    // A PUT that names where the entity lives (X-location) answers 303 with Location: the
    // entity's URL without the version segment, and the request's query string (token and junk
    // parameters included), as live (spec/OBSERVED.md "Location / X-Created / X-location headers").
    // A POST handled as PUT answers 2xx; a bulk PUT that only updates carries no X-location, so 2xx.
    const xloc = headers['X-location'];
    if (method === 'PUT' && status === 200 && empty && xloc !== undefined && this.o.putStatus === 303) {
      status = 303;
      headers.Location = `${xloc.startsWith(`${apiUrl}/`) ? `http://${host}/${xloc.slice(apiUrl.length + 1)}` : xloc}${qi >= 0 ? raw.slice(qi) : ''}`;
      // X-location stays: the pages promise it and the record never looked (it is not contradicted).
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

  private send(
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    payload: Buffer | undefined,
    stream: Readable | undefined,
  ): void {
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
