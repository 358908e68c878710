/**
 * The per-user config file that `copernica login` writes: `$COPERNICA_CONFIG`, else
 * `$XDG_CONFIG_HOME/copernica/config.json`, else `~/.config/copernica/config.json`. Created with
 * mode 0600 in a directory created with mode 0700. `COPERNICA_ACCESS_TOKEN` overrides the token in
 * the file; `--base-url`, then `COPERNICA_BASE_URL`, override its base URL.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Copernica } from '../client.js';
import { isCopernicaError } from '../core/errors.js';
import { CliError, UsageError } from './errors.js';

/** What the config file holds. */
export interface CliConfigFile {
  accessToken?: string;
  /** The API base URL the token belongs to (stored by `login --base-url`). */
  baseUrl?: string;
}

export type Env = Record<string, string | undefined>;

/**
 * Where the config file lives. `COPERNICA_CONFIG` may name the file, or a directory (existing, or
 * written with a trailing slash) in which `config.json` is used.
 */
export function configPath(env: Env): string {
  const override = env.COPERNICA_CONFIG;
  if (override) {
    if (override.endsWith('/') || (existsSync(override) && statSync(override).isDirectory())) return join(override, 'config.json');
    return override;
  }
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'copernica', 'config.json');
}

/** Reads the config file; a missing file is an empty config. */
export function readConfig(env: Env): CliConfigFile {
  return loadConfig(env).config;
}

/** The config file as read: its path, its content and its permission bits (undefined when there is no file). */
export interface LoadedConfig {
  file: string;
  config: CliConfigFile;
  mode: number | undefined;
}

/** Reads the config file with its permission bits. A UTF-8 byte order mark (Windows editors write one) is skipped. */
export function loadConfig(env: Env): LoadedConfig {
  const file = configPath(env);
  let text: string;
  let mode: number;
  try {
    text = readFileSync(file, 'utf8');
    mode = statSync(file).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file, config: {}, mode: undefined };
    throw new CliError(`cannot read the config file ${file}: ${(error as Error).message}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new CliError(`the config file ${file} is not valid JSON; fix it or run \`copernica login\` again`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new CliError(`the config file ${file} must hold a JSON object`);
  const o = data as Record<string, unknown>;
  const out: CliConfigFile = {};
  if (typeof o.accessToken === 'string') out.accessToken = o.accessToken;
  if (typeof o.baseUrl === 'string') out.baseUrl = o.baseUrl;
  return { file, config: out, mode };
}

/**
 * A config file that holds a token must be private: one that group or others may read leaks the
 * token, one they may write can point the token at another server. Such a file is REFUSED when the
 * token would come from it (like ssh refuses a private key others can read), with the `chmod` that
 * fixes it; when `COPERNICA_ACCESS_TOKEN` replaces the stored token, a warning is enough. Windows
 * has no such permission bits: not checked there.
 */
export function checkConfigMode(loaded: LoadedConfig, env: Env, warn: (text: string) => void, platform: string = process.platform): void {
  if (platform === 'win32' || loaded.mode === undefined || loaded.config.accessToken === undefined) return;
  if ((loaded.mode & 0o077) === 0) return;
  const what = `the config file ${loaded.file} holds an access token and is ${loaded.mode & 0o022 ? 'writable' : 'readable'} by group or others (mode ${loaded.mode.toString(8).padStart(4, '0')})`;
  const fix = `run: chmod 600 ${quoteForShell(loaded.file)}`;
  if (env.COPERNICA_ACCESS_TOKEN) {
    warn(`copernica: warning: ${what}; ${fix}`);
    return;
  }
  throw new CliError(`${what}; ${fix} (or set COPERNICA_ACCESS_TOKEN instead)`);
}

function quoteForShell(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/**
 * Writes the config file atomically (temporary file with mode 0600, then rename); its directory is
 * created with mode 0700 when missing. Returns the path.
 */
export function writeConfig(env: Env, config: CliConfigFile): string {
  const file = configPath(env);
  const dir = dirname(file);
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  }
  const tmp = join(dir, `.config.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw new CliError(`cannot write the config file ${file}: ${(error as Error).message}`);
  }
  return file;
}

/** Options every command takes. */
export interface GlobalOptions {
  baseUrl?: string;
  debug?: boolean;
}

/** The base URL in effect: `--base-url`, then `COPERNICA_BASE_URL`, then the config file, else the SDK's default. */
export function resolveBaseUrl(globals: GlobalOptions, env: Env, file: CliConfigFile = readConfig(env)): string | undefined {
  return globals.baseUrl || env.COPERNICA_BASE_URL || file.baseUrl || undefined;
}

/** The token in effect: `COPERNICA_ACCESS_TOKEN`, then the config file. */
export function resolveToken(env: Env, file: CliConfigFile = readConfig(env)): string {
  const token = env.COPERNICA_ACCESS_TOKEN || file.accessToken;
  if (!token) {
    throw new CliError(`no access token: run \`copernica login\` or set COPERNICA_ACCESS_TOKEN (config file: ${configPath(env)})`);
  }
  return token;
}

/**
 * A client from the token and base URL in effect. A token or base URL the SDK refuses (a
 * ValidationError) becomes a UsageError naming where the value came from; the value is not shown.
 */
export function makeClient(
  globals: GlobalOptions,
  env: Env,
  warn: (text: string) => void = () => undefined,
): { client: Copernica; token: string } {
  const loaded = loadConfig(env);
  checkConfigMode(loaded, env, warn);
  const file = loaded.config;
  const token = resolveToken(env, file);
  const baseUrl = resolveBaseUrl(globals, env, file);
  try {
    const client = new Copernica({ accessToken: token, ...(baseUrl ? { baseUrl } : {}), appInfo: { name: 'copernica-cli' } });
    return { client, token };
  } catch (error) {
    if (!(isCopernicaError(error) && error.code === 'validation_error')) throw error;
    const tokenFrom = env.COPERNICA_ACCESS_TOKEN ? 'COPERNICA_ACCESS_TOKEN' : `the config file ${loaded.file}`;
    const baseFrom = globals.baseUrl ? '--base-url' : env.COPERNICA_BASE_URL ? 'COPERNICA_BASE_URL' : `the config file ${loaded.file}`;
    const issues = (error as Error).message.replace(/^Invalid client options:\s*/, '');
    const from = /accessToken/.test(issues)
      ? `the access token from ${tokenFrom}`
      : /baseUrl/.test(issues)
        ? `the base URL from ${baseFrom}`
        : 'the client settings';
    throw new UsageError(`${from} is refused: ${issues}`);
  }
}
