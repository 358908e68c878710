/**
 * A small web app that connects a visitor's Copernica account with OAuth 2.0 and lists its
 * databases. Plain `node:http`, no framework: every step an integrator must get right is visible
 * here (see README.md next to this file).
 *
 * Run it against the fake Copernica server (no account needed):
 *
 *   npm run example:oauth
 *
 * Or use it from code (the tests do):
 *
 *   const app = await startApp({ port: 0, oauth: { clientId, clientSecret }, apiBaseUrl });
 *   console.log(app.url, app.redirectUri);
 *   await app.close();
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Copernica, CopernicaOAuth, isCopernicaError, isOAuthError } from 'copernica-rest';
import type { Database, Identity, OAuthOptions } from 'copernica-rest';

/** OAuth settings of the example app: `redirectUri` defaults to `<app url>/callback`. */
export type ExampleOAuthSettings = Omit<OAuthOptions, 'redirectUri'> & { redirectUri?: string };

/** Options of {@link startApp}. */
export interface ExampleAppOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind. Default `127.0.0.1`. */
  host?: string;
  /** The registered application: client ID and secret, and the authorize page's host. */
  oauth: ExampleOAuthSettings;
  /** API base URL for the token exchange and the API calls. Default `https://api.copernica.com/v1`. */
  apiBaseUrl?: string;
  /** How long a session lives without use, in ms. Default 30 minutes. */
  sessionTtlMs?: number;
}

/** A running example app. */
export interface ExampleApp {
  /** Base URL of the app, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  /** The redirect URI the app sends to Copernica: register exactly this one with your application. */
  readonly redirectUri: string;
  /** Stops the server and drops every session. */
  close(): Promise<void>;
}

/** What the server keeps per visitor. The access token never reaches the browser. */
interface Session {
  /** The state of the one authorization that is in flight (single use: removed when the callback arrives). */
  pendingState?: string;
  accessToken?: string;
  expires: number;
}

const COOKIE = 'sid';
const MAX_SESSIONS = 10_000;

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
.error{background:#fee;border:1px solid #c33;padding:.8rem}button{font-size:1rem;padding:.4rem 1rem}</style></head>
<body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>`;
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Starts the example app and resolves once it listens.
 *
 * @example
 * const fake = await createFakeCopernica();
 * const clientSecret = randomBytes(20).toString('hex');
 * const app = await startApp({ port: 3000, oauth: { clientId: 'example-app', clientSecret, authorizeBaseUrl: fake.url }, apiBaseUrl: fake.apiUrl });
 * fake.registerApp({ clientId: 'example-app', clientSecret, redirectUri: app.redirectUri });
 */
export async function startApp(options: ExampleAppOptions): Promise<ExampleApp> {
  const host = options.host ?? '127.0.0.1';
  const ttl = options.sessionTtlMs ?? 30 * 60_000;
  const sessions = new Map<string, Session>();
  const sockets = new Set<Socket>();
  // The OAuth helper needs the redirect URI, which needs the port: it is made once the server listens.
  let oauth: CopernicaOAuth | undefined;
  let authorizeOrigin = 'https://www.copernica.com';

  /** The visitor's session, made (with a fresh random cookie) when there is none or it expired. */
  function session(req: IncomingMessage, res: ServerResponse): Session {
    const now = Date.now();
    const id = readCookie(req, COOKIE);
    const existing = id === undefined ? undefined : sessions.get(id);
    if (existing && existing.expires > now) {
      existing.expires = now + ttl;
      return existing;
    }
    if (id !== undefined) sessions.delete(id);
    for (const [key, s] of sessions) if (s.expires <= now || sessions.size >= MAX_SESSIONS) sessions.delete(key);
    const fresh: Session = { expires: now + ttl };
    const newId = randomBytes(32).toString('base64url');
    sessions.set(newId, fresh);
    // HttpOnly: scripts cannot read it; SameSite=Lax: sent on the top-level redirect back from
    // Copernica, not on cross-site POSTs. Add `Secure` when the app is served over https.
    res.setHeader('Set-Cookie', `${COOKIE}=${newId}; Path=/; HttpOnly; SameSite=Lax`);
    return fresh;
  }

  function send(res: ServerResponse, status: number, html: string): void {
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      // No referrer: the callback URL carries the code and must not leak to other sites.
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      // Chromium applies form-action to the redirect after a form post: allow the authorize page.
      'Content-Security-Policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${authorizeOrigin}; frame-ancestors 'none'; base-uri 'none'`,
    });
    res.end(html);
  }

  function redirect(res: ServerResponse, location: string): void {
    res.writeHead(303, { Location: location, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    res.end();
  }

  function failure(res: ServerResponse, status: number, title: string, message: string): void {
    send(
      res,
      status,
      page(title, `<p class="error" role="alert">${escapeHtml(message)}</p>\n<p><a href="/">Back to the start page</a></p>`),
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://app.invalid');
    const route = `${req.method} ${url.pathname}`;
    if (!oauth) throw new Error('not listening yet');

    if (route === 'GET /') {
      const s = session(req, res);
      if (s.accessToken) return redirect(res, '/databases');
      return send(
        res,
        200,
        page(
          'Copernica example app',
          `<p>This app reads the databases of your Copernica account. It never sees your password: you log in at Copernica and approve the access there.</p>
<form method="post" action="/connect"><button type="submit">Connect Copernica</button></form>`,
        ),
      );
    }

    if (route === 'POST /connect') {
      req.resume(); // the form has no fields
      const s = session(req, res);
      // A fresh state per attempt, bound to this session; an older pending state is replaced.
      const { url: authorizeUrl, state } = oauth.createAuthorizationUrl();
      s.pendingState = state;
      return redirect(res, authorizeUrl);
    }

    if (route === 'GET /callback') {
      const s = session(req, res);
      const expected = s.pendingState;
      delete s.pendingState; // single use, whatever the outcome
      if (expected === undefined) {
        return failure(
          res,
          400,
          'Connection refused',
          'There is no connection attempt in progress for this browser session (the link was used before, or it was opened in another browser). Start again with "Connect Copernica".',
        );
      }
      try {
        const { code } = oauth.validateCallback(url, expected);
        const { accessToken } = await oauth.exchangeCode(code);
        s.accessToken = accessToken;
      } catch (error) {
        if (!isOAuthError(error)) throw error;
        const title = error.oauthError === 'access_denied' ? 'Connection cancelled' : 'Connection refused';
        const hint =
          error.oauthError === 'access_denied'
            ? 'You chose not to give this app access to your Copernica account. Nothing was connected.'
            : 'Copernica could not be connected.';
        return failure(res, 400, title, `${hint} ${error.message}`);
      }
      return redirect(res, '/databases');
    }

    if (route === 'GET /databases') {
      const s = session(req, res);
      if (!s.accessToken) return redirect(res, '/');
      const client = new Copernica({ accessToken: s.accessToken, ...(options.apiBaseUrl ? { baseUrl: options.apiBaseUrl } : {}) });
      let identity: Identity;
      const databases: Database[] = [];
      try {
        identity = await client.identity.get();
        for await (const db of client.databases.list()) databases.push(db);
      } catch (error) {
        if (!isCopernicaError(error)) throw error;
        if (error.code === 'invalid_token') delete s.accessToken; // revoked: connect again
        return failure(res, 502, 'Copernica is not available', error.message);
      }
      const rows = databases
        .map((db) => `<tr><td>${db.ID}</td><td class="name">${escapeHtml(db.name)}</td><td>${escapeHtml(db.description ?? '')}</td></tr>`)
        .join('\n');
      return send(
        res,
        200,
        page(
          'Your Copernica databases',
          `<p>Connected to account <strong id="account">${escapeHtml(identity.name)}</strong>.</p>
<table id="databases"><thead><tr><th>ID</th><th>Name</th><th>Description</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<form method="post" action="/disconnect"><p><button type="submit">Disconnect</button></p></form>`,
        ),
      );
    }

    if (route === 'POST /disconnect') {
      req.resume();
      const id = readCookie(req, COOKIE);
      if (id !== undefined) sessions.delete(id);
      return redirect(res, '/');
    }

    return failure(res, 404, 'Not found', 'There is no such page.');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // Unexpected: log the name only (messages of foreign errors may hold secrets) and answer 500.
      console.error(
        `example app: ${req.method} ${new URL(req.url ?? '/', 'http://x').pathname} failed: ${error instanceof Error ? error.name : 'error'}`,
      );
      if (!res.headersSent) failure(res, 500, 'Something went wrong', 'The app hit an unexpected error.');
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const { redirectUri = `${url}/callback`, ...rest } = options.oauth;
  try {
    oauth = new CopernicaOAuth({ ...rest, redirectUri, ...(options.apiBaseUrl ? { apiBaseUrl: options.apiBaseUrl } : {}) });
  } catch (error) {
    server.close();
    throw error;
  }
  authorizeOrigin = new URL(oauth.authorizeBaseUrl).origin;

  return {
    url,
    redirectUri,
    close: () =>
      new Promise<void>((resolve) => {
        sessions.clear();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** `npm run example:oauth`: the fake Copernica server and this app, ready for a browser. */
async function demo(): Promise<void> {
  const { createFakeCopernica } = await import('copernica-rest/testing');
  const fake = await createFakeCopernica({ seed: 1, port: Number(process.env.FAKE_PORT ?? 0) });
  const clientId = 'example-web-app';
  const clientSecret = randomBytes(20).toString('hex');
  const app = await startApp({
    port: Number(process.env.PORT ?? 3000),
    oauth: { clientId, clientSecret, authorizeBaseUrl: fake.url },
    apiBaseUrl: fake.apiUrl,
  });
  fake.registerApp({ clientId, clientSecret, redirectUri: app.redirectUri, name: 'Example web app' });
  const user = fake.users[0];
  console.log(`Example app:          ${app.url}`);
  console.log(`Fake Copernica:       ${fake.url} (API ${fake.apiUrl})`);
  if (user) console.log(`Demo login:           ${user.username} / ${user.password}`);
  console.log('Press Ctrl+C to stop.');
  const stop = () => {
    void Promise.all([app.close(), fake.close()]).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  demo().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
