/**
 * For people who build on copernica-rest (an integration, an internal SDK): one factory that
 * gives every Copernica client of your product
 *
 * - a custom undici dispatcher: a keep-alive Agent sized for your workload, composed with an
 *   interceptor that tags each request with an `x-request-id` and reports it to your metrics
 *   (it sees the query string, which holds the access token: record the path only);
 * - your logger: the SDK's debug lines (request, response with status and time) and warnings
 *   (retries), already redacted;
 * - `appInfo`: your name and version in the User-Agent, so Copernica can tell your traffic apart;
 * - `withOptions()`: derived clients with other limits that share the same dispatcher.
 *
 *   COPERNICA_ACCESS_TOKEN=… npm run example -- examples/wrap-this-sdk.ts
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { Agent, type Dispatcher } from 'undici';
import { Copernica, isCopernicaError } from 'copernica-rest';
import type { Logger } from 'copernica-rest';

/** One request as the interceptor saw it (no query string: it holds the token). */
export interface WrappedRequestRecord {
  requestId: string;
  method: string;
  path: string;
  userAgent: string;
}

/** Options of {@link createAcmeClient}. */
export interface AcmeClientOptions {
  accessToken: string;
  baseUrl?: string;
  /** Your application's logger; the SDK's lines arrive here. */
  logger: Logger;
  /** Called for every outgoing request (metrics, tracing). */
  onRequest?: (record: WrappedRequestRecord) => void;
}

function headerValue(headers: Dispatcher.DispatchOptions['headers'], name: string): string {
  if (!headers) return '';
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) if (String(headers[i]).toLowerCase() === name) return String(headers[i + 1]);
    return '';
  }
  for (const [k, v] of Object.entries(headers as Record<string, string | string[] | undefined>))
    if (k.toLowerCase() === name) return String(v ?? '');
  return '';
}

function withHeader(headers: Dispatcher.DispatchOptions['headers'], name: string, value: string): Dispatcher.DispatchOptions['headers'] {
  if (Array.isArray(headers)) return [...headers, name, value];
  return { ...(headers as Record<string, string | string[] | undefined> | null | undefined), [name]: value };
}

/**
 * The one place your product makes Copernica clients. Close the agent when you shut down.
 *
 * @example
 * const { client, close } = createAcmeClient({ accessToken, logger: pino() });
 * const me = await client.identity.get();
 * await close();
 */
export function createAcmeClient(opts: AcmeClientOptions): { client: Copernica; close: () => Promise<void> } {
  const agent = new Agent({ connections: 8, keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
  const dispatcher = agent.compose((dispatch) => (request, handler) => {
    const requestId = randomUUID();
    opts.onRequest?.({
      requestId,
      method: request.method,
      path: request.path.split('?')[0] ?? '',
      userAgent: headerValue(request.headers, 'user-agent'),
    });
    return dispatch({ ...request, headers: withHeader(request.headers, 'x-request-id', requestId) }, handler);
  });
  const client = new Copernica({
    accessToken: opts.accessToken,
    ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
    dispatcher,
    logger: opts.logger,
    appInfo: { name: 'acme-crm-sync', version: '1.4.0', url: 'https://acme.example/crm-sync' },
    maxRetries: 3,
  });
  return { client, close: () => agent.close() };
}

/** Options of {@link main}. */
export interface WrapExampleOptions {
  /** Default: `COPERNICA_ACCESS_TOKEN`. */
  accessToken?: string;
  /** Default: `COPERNICA_BASE_URL`, else the real API. */
  baseUrl?: string;
  /** Also print the log lines to stderr. Default false. */
  verbose?: boolean;
}

/** What {@link main} did. */
export interface WrapExampleResult {
  account: string;
  databases: string[];
  /** Profile IDs of the first database, read by the derived "patient" client. */
  profileIds: number;
  requests: WrappedRequestRecord[];
  /** Every line the SDK logged, as `level message {meta}`. */
  log: string[];
}

/**
 * Reads the account, its databases and the first database's profile IDs through a wrapped client.
 *
 * @example
 * const { account, requests } = await main({ verbose: true });
 */
export async function main(opts: WrapExampleOptions = {}): Promise<WrapExampleResult> {
  const accessToken = opts.accessToken ?? process.env.COPERNICA_ACCESS_TOKEN;
  if (!accessToken) throw new Error('Set COPERNICA_ACCESS_TOKEN (or pass accessToken)');
  const baseUrl = opts.baseUrl ?? process.env.COPERNICA_BASE_URL;
  const log: string[] = [];
  const line = (level: string) => (message: string, meta?: Record<string, unknown>) => {
    const text = `${level} ${message}${meta ? ` ${JSON.stringify(meta)}` : ''}`;
    log.push(text);
    if (opts.verbose) console.error(text);
  };
  const requests: WrappedRequestRecord[] = [];
  const { client, close } = createAcmeClient({
    accessToken,
    ...(baseUrl ? { baseUrl } : {}),
    logger: { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') },
    onRequest: (r) => requests.push(r),
  });
  try {
    const me = await client.identity.get();
    const databases = await client.databases.list().toArray({ limit: 1000 });
    // A derived client for slow bulk reads: other limits, same dispatcher, logger and appInfo.
    const patient = client.withOptions({ timeout: 300_000, maxRetries: 5 });
    const first = databases[0];
    const ids = first ? await patient.profiles.ids(first.ID) : [];
    return { account: me.name, databases: databases.map((d) => d.name), profileIds: ids.length, requests, log };
  } finally {
    await close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main({ verbose: true }).then(
    (r) =>
      console.log(`${r.account}: ${r.databases.length} databases, ${r.profileIds} profiles in the first; ${r.requests.length} requests`),
    (error: unknown) => {
      console.error(isCopernicaError(error) || error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
