/**
 * `copernica-rest/testing`: a fake Copernica REST v1 server for tests, demos and benchmarks.
 *
 * ```ts
 * const fake = await createFakeCopernica({ seed: 1, profiles: 50 });
 * const token = fake.accounts[0].token;
 * await fetch(`${fake.apiUrl}/databases?access_token=${token}`);
 * await fake.close();
 * ```
 * See README.md in this folder for what it does and does not reproduce.
 */
import { randomBytes } from 'node:crypto';
import {
  completeDataRequest as campaignsCompleteDataRequest,
  configureCampaigns as campaignsConfigure,
  type CampaignOptions,
  generateLogfile as campaignsGenerateLogfile,
  registerCampaignRoutes,
  seedRecentMailings,
  sendMailing as campaignsSendMailing,
  type GenerateLogfileOptions,
  type MailingSummary,
  type SendMailingOptions,
} from './campaigns/index.js';
import { Faults, type FaultRule } from './faults.js';
import { OAuthServer, type FakeWebUser, type OAuthApp } from './oauth.js';
import { Router } from './router.js';
import { registerDatabaseRoutes } from './routes/databases.js';
import { registerProfileRoutes } from './routes/profiles.js';
import { registerViewRoutes } from './routes/views.js';
import { seedStore } from './seed.js';
import { FakeHttpServer, type LoggedRequest } from './server.js';
import { type Account, Store } from './store.js';
import { hash3, mulberry32 } from './util.js';

export type { FaultKind, FaultRule } from './faults.js';
export type { FakeWebUser, OAuthApp } from './oauth.js';
export type { LoggedRequest } from './server.js';
export type {
  MailingSummary,
  SendMailingOptions,
  GenerateLogfileOptions,
  CampaignOptions,
  MailingRates,
  MailingKind,
} from './campaigns/index.js';
export { FakeApiError } from './contract.js';
export type { FakeAccountContext, FakeMailingTarget, FakeRecipient, RouteTable } from './contract.js';
export { Account, Store } from './store.js';

/** Options of {@link createFakeCopernica}. Unknown options throw a `TypeError`. */
export interface FakeCopernicaOptions {
  /** Seed of all generated data and of probabilistic faults. Default 1. */
  seed?: number;
  /** Port on 127.0.0.1; default 0 (a free port). */
  port?: number;
  /** Host to bind; default `127.0.0.1`. */
  host?: string;
  /** Profiles in each account's main database (other seeded databases hold at most 30). Default 50. */
  profiles?: number;
  /** Fault rules active from the start. */
  faults?: FaultRule[];
  /** Status of a successful PUT: 303 with `Location` (default, as observed live) or 200. */
  putStatus?: 303 | 200;
  /** Latency added to every API request, in ms (benchmarks). Default 0. */
  latencyMs?: number;
  /** Lifetime of an authorization code. Default 10 minutes. */
  codeTtlMs?: number;
  /** The request log keeps the latest N entries. Default 10,000. */
  maxLogEntries?: number;
  /**
   * Finished mailings sent at startup to each account's main database (0–30), the newest at 08:00
   * UTC yesterday, one every two days before it; their events and logfiles lie between the send
   * time and now. Default 0 (a test starts with no mailings); the standalone fake (`copernica fake`,
   * `copernica-fake`) uses 3.
   */
  mailings?: number;
  /**
   * Largest request body the fake reads, in bytes. A larger one gets `413` before it is buffered
   * (a declared `Content-Length` is refused before a byte is read), and the connection closes.
   * Bodies are read only after the access token is checked. Default 16 MiB.
   */
  maxBodyBytes?: number;
  /**
   * Status of `DELETE profile/{id}` or `DELETE subprofile/{id}` for an ID that never existed:
   * `400` with `No entity with supplied ID` / `No subprofile with supplied ID` (default, as the live
   * service answers) or `204` with no body (what the v1 reference pages promise). A second DELETE
   * of a removed entity is `400 This profile has already been removed` either way.
   */
  deleteMissingStatus?: 400 | 204;
}

/** A seeded account, with a ready token (see {@link FakeCopernica.accounts}). */
export interface FakeAccountInfo {
  /** Account ID (`ID` of `GET /identity`). */
  id: number;
  /** Account name (`name` of `GET /identity`). */
  name: string;
  /** A ready access token for this account. */
  token: string;
}

/** A running fake Copernica server and its control API, made by {@link createFakeCopernica}. */
export interface FakeCopernica {
  /** Web host base (serves `/en/authorize` and `/nl/authorize`), e.g. `http://127.0.0.1:4567`. */
  readonly url: string;
  /** API base, e.g. `http://127.0.0.1:4567/v1`. */
  readonly apiUrl: string;
  /** The port the server listens on (the free port chosen when the `port` option was 0). */
  readonly port: number;
  /** The three seeded accounts, with tokens derived from the seed (same seed, same tokens). */
  readonly accounts: FakeAccountInfo[];
  /** Web users for the login page; the first can grant access to the first two accounts. */
  readonly users: FakeWebUser[];
  /** The seeded OAuth application (also in {@link apps}). */
  readonly app: OAuthApp;
  /** Every registered OAuth application: the seeded one and those of {@link registerApp}. */
  readonly apps: OAuthApp[];
  /** All state of the fake: `store.accounts` holds every {@link Account} by ID. */
  readonly store: Store;
  /** Received API requests (latest `maxLogEntries`). */
  readonly requests: LoggedRequest[];
  /** The state of an account (default the first): its databases, profiles and recipients. Throws a `TypeError` for an unknown ID. */
  account(id?: number): Account;
  /** A new random access token for an account (default the first), as if the OAuth flow had issued it. */
  issueToken(accountId?: number): string;
  /** Revoke a token: API calls with it then get `400 Invalid access token`, as after the owner revokes access. */
  revokeToken(token: string): void;
  /**
   * Register an OAuth application for the authorize page and `GET /v1/token`. `clientId` and
   * `clientSecret` are generated when absent; `redirectUri` must be an absolute URL.
   */
  registerApp(app: { clientId?: string; clientSecret?: string; redirectUri: string; name?: string }): {
    /** The application's client key (`client_id`). */
    clientId: string;
    /** The application's secret (`client_secret`). */
    clientSecret: string;
  };
  /** Empty {@link requests}. */
  clearRequests(): void;
  /** Add a fault rule (see {@link FaultRule}); it applies to the requests that follow. */
  inject(rule: FaultRule): void;
  /** Remove every fault rule (also those of the `faults` option). */
  clearFaults(): void;
  /** Simulate a mailing (campaign part). `account` defaults to the first account. */
  sendMailing(opts: SendMailingOptions & { account?: number }): MailingSummary;
  /** Register a synthetic logfile (rows made up while it streams); returns its name, e.g. `cdm-click.2017-03-08.log`. `account` defaults to the first account. */
  generateLogfile(opts: GenerateLogfileOptions & { account?: number }): string;
  /** Make a data request of an account (default the first) available at once, instead of after the configured polls or delay. */
  completeDataRequest(id: number | string, account?: number): void;
  /** Campaign settings of an account: its clock (`now`), the events window rule (`windowMode`), data-request timing. */
  configureCampaigns(opts: CampaignOptions & { account?: number }): void;
  /** Stop the server and drop every open connection (stalled responses included). */
  close(): Promise<void>;
}

function seededToken(seed: number, accountId: number): string {
  let s = '';
  for (let i = 0; i < 4; i++)
    s += hash3(seed, accountId, 0x70c + i)
      .toString(16)
      .padStart(8, '0');
  return s;
}

/**
 * Start a fake Copernica REST v1 server on 127.0.0.1 (a free port by default), seeded with three
 * accounts, their databases, collections, views and profiles, and an OAuth application.
 */
export async function createFakeCopernica(options: FakeCopernicaOptions = {}): Promise<FakeCopernica> {
  const known = new Set([
    'seed',
    'port',
    'host',
    'profiles',
    'faults',
    'putStatus',
    'latencyMs',
    'codeTtlMs',
    'maxLogEntries',
    'mailings',
    'maxBodyBytes',
    'deleteMissingStatus',
  ]);
  for (const k of Object.keys(options)) if (!known.has(k)) throw new TypeError(`Unknown option: ${k}`);
  const seed = options.seed ?? 1;
  const profiles = options.profiles ?? 50;
  if (!Number.isSafeInteger(profiles) || profiles < 0) throw new TypeError('profiles must be a non-negative integer');
  const putStatus = options.putStatus ?? 303;
  if (putStatus !== 303 && putStatus !== 200) throw new TypeError('putStatus must be 303 or 200');
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 0) throw new TypeError('maxBodyBytes must be a non-negative integer');
  const deleteMissingStatus = options.deleteMissingStatus ?? 400;
  if (deleteMissingStatus !== 400 && deleteMissingStatus !== 204) throw new TypeError('deleteMissingStatus must be 400 or 204');

  const store = new Store();
  store.random = mulberry32(seed ^ 0x5eed);
  const { accounts } = seedStore(store, { seed, profiles });
  for (const a of accounts) {
    const main = a.databases.values().next().value;
    if (main) seedRecentMailings(a, { database: main.id }, options.mailings ?? 0, seed);
  }

  const tokens = new Map<string, number>();
  const mintToken = (accountId: number): string => {
    if (!store.accounts.has(accountId)) throw new TypeError(`No account ${accountId}`);
    const t = randomBytes(16).toString('hex');
    tokens.set(t, accountId);
    return t;
  };
  const infos: FakeAccountInfo[] = accounts.map((a) => {
    const token = seededToken(seed, a.id);
    tokens.set(token, a.id);
    return { id: a.id, name: a.name, token };
  });

  const oauth = new OAuthServer({
    accountName: (id) => store.accounts.get(id)?.name,
    mintToken,
    codeTtlMs: options.codeTtlMs ?? 10 * 60_000,
  });
  const app = oauth.registerApp({
    clientId: 'fake-client-id',
    clientSecret: 'fake-client-secret-0123456789abcdef',
    redirectUri: 'http://localhost:3000/callback',
    name: 'Demo integration',
  });
  const a1 = accounts[0] as Account;
  const a2 = accounts[1] as Account;
  const a3 = accounts[2] as Account;
  oauth.users.push({ username: 'demo@example.com', password: 'demo-password', accounts: [a1.id, a2.id] });
  oauth.users.push({ username: 'solo@example.com', password: 'solo-password', accounts: [a3.id] });

  const router = new Router();
  registerDatabaseRoutes(router);
  registerProfileRoutes(router);
  registerViewRoutes(router);
  registerCampaignRoutes(router);

  const faults = new Faults(mulberry32(seed ^ 0xfa17));
  for (const f of options.faults ?? []) faults.inject(f);

  const http = new FakeHttpServer({
    store,
    router,
    oauth,
    tokens,
    faults,
    putStatus,
    latencyMs: options.latencyMs ?? 0,
    maxLogEntries: options.maxLogEntries ?? 10_000,
    maxBodyBytes,
    deleteMissingStatus,
  });
  const host = options.host ?? '127.0.0.1';
  const port = await http.listen(options.port ?? 0, host);
  const url = `http://${host}:${port}`;

  const account = (id?: number): Account => {
    const a = store.accounts.get(id ?? a1.id);
    if (!a) throw new TypeError(`No account ${String(id)}`);
    return a;
  };

  return {
    url,
    apiUrl: `${url}/v1`,
    port,
    accounts: infos,
    users: oauth.users,
    app,
    get apps() {
      return [...oauth.apps.values()];
    },
    store,
    requests: http.log,
    account,
    issueToken: (accountId) => mintToken(accountId ?? a1.id),
    revokeToken: (token) => {
      tokens.delete(token);
    },
    registerApp: (a) => {
      const r = oauth.registerApp(a);
      return { clientId: r.clientId, clientSecret: r.clientSecret };
    },
    clearRequests: () => {
      http.log.length = 0;
    },
    inject: (rule) => faults.inject(rule),
    clearFaults: () => faults.clear(),
    sendMailing: ({ account: id, ...opts }) => campaignsSendMailing(account(id), opts),
    generateLogfile: ({ account: id, ...opts }) => campaignsGenerateLogfile(account(id), opts),
    completeDataRequest: (id, acct) => campaignsCompleteDataRequest(account(acct), id),
    configureCampaigns: ({ account: id, ...opts }) => campaignsConfigure(account(id), opts),
    close: () => http.close(),
  };
}
