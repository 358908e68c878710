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
import { CliError } from './errors.js';

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
  const file = configPath(env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(`cannot read the config file ${file}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new CliError(`the config file ${file} is not valid JSON; fix it or run \`copernica login\` again`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new CliError(`the config file ${file} must hold a JSON object`);
  const o = data as Record<string, unknown>;
  const out: CliConfigFile = {};
  if (typeof o.accessToken === 'string') out.accessToken = o.accessToken;
  if (typeof o.baseUrl === 'string') out.baseUrl = o.baseUrl;
  return out;
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

/** A client from the token and base URL in effect. */
export function makeClient(globals: GlobalOptions, env: Env): { client: Copernica; token: string } {
  const file = readConfig(env);
  const token = resolveToken(env, file);
  const baseUrl = resolveBaseUrl(globals, env, file);
  const client = new Copernica({ accessToken: token, ...(baseUrl ? { baseUrl } : {}), appInfo: { name: 'copernica-cli' } });
  return { client, token };
}
