/**
 * The standalone fake, shared by its two commands (`copernica fake` and `copernica-fake`): ONE
 * list of options, one way to read them, one start-up (recent mailings, an OAuth app for
 * `copernica login`) and one banner. Each command only maps its own argument parser onto
 * {@link STANDALONE_OPTIONS}.
 */
// Only types at the top: the CLI reads the option list without loading the fake.
import type { FakeCopernica } from './index.js';

/** The port of `copernica login`'s default callback, `http://127.0.0.1:8976/callback`. */
export const CLI_LOGIN_PORT = 8976;

/** The OAuth application the standalone fake registers for `copernica login` (fake credentials). */
export const CLI_APP = {
  clientId: 'copernica-cli',
  clientSecret: 'fake-cli-secret-0123456789abcdef',
  redirectUri: `http://127.0.0.1:${CLI_LOGIN_PORT}/callback`,
  name: 'Copernica CLI',
} as const;

/** One option of the standalone fake. `value` options take an argument; the others are flags. */
export interface StandaloneOption {
  /** Long name without dashes, e.g. `put-status`. */
  name: string;
  /** Placeholder of the argument, e.g. `<n>`; absent for a flag. */
  value?: string;
  description: string;
  /** Default of a value option, as typed on the command line. */
  default?: string;
  /** Allowed values, when the list is closed. */
  choices?: readonly string[];
}

/** Every option of both commands, in help order. */
export const STANDALONE_OPTIONS: readonly StandaloneOption[] = [
  { name: 'port', value: '<port>', description: 'port to listen on (0: a free one)', default: '0' },
  {
    name: 'host',
    value: '<host>',
    description: 'address to bind (the tokens are fake, but anyone who reaches it can use them)',
    default: '127.0.0.1',
  },
  { name: 'seed', value: '<n>', description: 'seed of the generated data and tokens', default: '1' },
  { name: 'profiles', value: '<n>', description: "profiles in each account's main database", default: '50' },
  { name: 'mailings', value: '<n>', description: 'finished mailings per account, the newest sent yesterday (0-30)', default: '3' },
  { name: 'no-mailings', description: 'start without mailings (same as --mailings 0)' },
  { name: 'latency', value: '<ms>', description: 'latency added to every API request, in ms', default: '0' },
  { name: 'put-status', value: '<status>', description: 'status of a successful PUT', default: '303', choices: ['303', '200'] },
  { name: 'json', description: 'print one JSON line (URLs, accounts with tokens, OAuth apps, web users) instead of the banner' },
];

/** Bad option values (the commands print the message and exit with a usage error). */
export class StandaloneOptionError extends Error {
  override name = 'StandaloneOptionError';
}

/** What the options ask for. */
export interface StandaloneSettings {
  port: number;
  host: string;
  seed: number;
  profiles: number;
  mailings: number;
  latencyMs: number;
  putStatus: 303 | 200;
  json: boolean;
}

function int(name: string, raw: unknown, max = Number.MAX_SAFE_INTEGER): number {
  const text = String(raw);
  if (!/^\d+$/.test(text) || Number(text) > max) {
    throw new StandaloneOptionError(`--${name} must be an integer from 0 to ${max}, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/**
 * Reads parsed option values, keyed by option name (`put-status`) or its camel-case form
 * (`putStatus`); missing ones take their default. `mailings: false` (commander's `--no-mailings`)
 * and `no-mailings: true` (node's parseArgs) both mean no mailings.
 */
export function standaloneSettings(values: Readonly<Record<string, unknown>>): StandaloneSettings {
  const get = (name: string): unknown => {
    const camel = name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const v = values[name] ?? values[camel];
    return v ?? STANDALONE_OPTIONS.find((o) => o.name === name)?.default;
  };
  const putStatus = String(get('put-status'));
  if (putStatus !== '303' && putStatus !== '200')
    throw new StandaloneOptionError(`--put-status must be 303 or 200, got ${JSON.stringify(putStatus)}`);
  const noMailings = get('no-mailings') === true || get('mailings') === false;
  if (noMailings && values.mailings !== undefined && values.mailings !== false) {
    throw new StandaloneOptionError('--mailings and --no-mailings contradict each other; give one');
  }
  return {
    port: int('port', get('port'), 65_535),
    host: String(get('host')),
    seed: int('seed', get('seed'), 0xffff_ffff),
    profiles: int('profiles', get('profiles'), 10_000_000),
    mailings: noMailings ? 0 : int('mailings', get('mailings'), 30),
    latencyMs: int('latency', get('latency'), 60_000),
    putStatus: Number(putStatus) as 303 | 200,
    json: get('json') === true,
  };
}

/** A running standalone fake. */
export interface Standalone {
  fake: FakeCopernica;
  /** Milliseconds the start took. */
  startedInMs: number;
}

/** Starts the fake as both commands do: with recent mailings (unless 0) and the app of {@link CLI_APP}. */
export async function startStandalone(s: StandaloneSettings): Promise<Standalone> {
  const started = Date.now();
  const { createFakeCopernica } = await import('./index.js');
  const fake = await createFakeCopernica({
    port: s.port,
    host: s.host,
    seed: s.seed,
    profiles: s.profiles,
    mailings: s.mailings,
    latencyMs: s.latencyMs,
    putStatus: s.putStatus,
  });
  fake.registerApp({ ...CLI_APP });
  return { fake, startedInMs: Date.now() - started };
}

/** The one JSON line of `--json`. */
export function standaloneJson({ fake }: Standalone): string {
  const app = (a: { clientId: string; clientSecret: string; redirectUri: string }) => ({
    clientId: a.clientId,
    clientSecret: a.clientSecret,
    redirectUri: a.redirectUri,
  });
  return JSON.stringify({
    url: fake.url,
    apiUrl: fake.apiUrl,
    accounts: fake.accounts.map((a) => ({ id: a.id, name: a.name, token: a.token })),
    app: app(fake.app),
    cliApp: app(CLI_APP),
    users: fake.users.map((u) => ({ username: u.username, password: u.password, accounts: u.accounts })),
  });
}

/** The banner both commands print (all credentials in it are fake). */
export function standaloneBanner({ fake, startedInMs }: Standalone, s: StandaloneSettings): string {
  const user = fake.users[0];
  const lines = [
    `Fake Copernica REST v1 listening (started in ${startedInMs} ms; these tokens and secrets are fake)`,
    `  API:          ${fake.apiUrl}`,
    `  web (OAuth):  ${fake.url}/en/authorize`,
    `  data:         ${s.profiles} profiles in each main database, ${s.mailings} recent mailings per account`,
    'Accounts and access tokens:',
    ...fake.accounts.map((a) => `  ${a.id}  ${a.name.padEnd(18)} ${a.token}`),
    'OAuth apps:',
    `  ${fake.app.name ?? fake.app.clientId}: client_id ${fake.app.clientId}  client_secret ${fake.app.clientSecret}  redirect_uri ${fake.app.redirectUri}`,
    `  ${CLI_APP.name}: client_id ${CLI_APP.clientId}  client_secret ${CLI_APP.clientSecret}  redirect_uri ${CLI_APP.redirectUri}`,
    ...fake.users.map((u) => `  web user ${u.username} / ${u.password} (accounts ${u.accounts.join(', ')})`),
    'Try:',
    `  export COPERNICA_BASE_URL=${fake.apiUrl} COPERNICA_ACCESS_TOKEN=${fake.accounts[0]?.token ?? ''}`,
    '  copernica databases list',
    'Or log in as a user would (open the printed URL, sign in as ' + (user ? `${user.username} / ${user.password}` : 'a web user') + '):',
    `  COPERNICA_CLIENT_SECRET=${CLI_APP.clientSecret} copernica login --client-id ${CLI_APP.clientId} --base-url ${fake.apiUrl}`,
  ];
  return `${lines.join('\n')}\n`;
}
