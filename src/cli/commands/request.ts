/** `copernica request <METHOD> <path>`: any endpoint, through `client.request()`. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { RawRequest } from '../../client.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { write } from '../output.js';
import { collect } from './shared.js';

type QueryValue = string | string[];

/** `k=v` pairs into a query object: a repeated key, or a key written `k[]`, becomes an array (sent as `k[]=…` entries). */
export function parseQuery(pairs: readonly string[]): Record<string, QueryValue> {
  const out: Record<string, QueryValue> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--query takes key=value, got ${JSON.stringify(pair)}`);
    let key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const list = key.endsWith('[]');
    if (list) key = key.slice(0, -2);
    if (!key) throw new UsageError(`--query takes key=value, got ${JSON.stringify(pair)}`);
    if (key === 'access_token')
      throw new UsageError('--query access_token is not allowed: the token comes from the config file or COPERNICA_ACCESS_TOKEN');
    const prev = out[key];
    if (prev === undefined) out[key] = list ? [value] : value;
    else out[key] = [...(Array.isArray(prev) ? prev : [prev]), value];
  }
  return out;
}

function parseData(data: string): unknown {
  const text = data.startsWith('@') ? readFileSync(data === '@-' ? 0 : data.slice(1), 'utf8') : data;
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError('--data must be JSON (or @file / @- for stdin holding JSON)');
  }
}

interface RequestOpts {
  query?: string[];
  data?: string;
  include?: boolean;
  text?: boolean;
}

export function registerRequest(program: Command, ctx: CliContext): void {
  program
    .command('request')
    .description('call any endpoint (client.request: token, retries, errors and redaction as the typed methods)')
    .argument('<method>', 'GET, POST, PUT or DELETE')
    .argument('<path>', 'path below the base URL, e.g. /database/1/fields')
    .option('--query <key=value>', 'query parameter (repeatable; a repeated key or key[] is sent as key[] entries)', collect)
    .option('--data <json>', 'JSON body for POST/PUT; @file reads a file, @- stdin')
    .option('--include', 'print {"status", "id", "location", "data"} instead of the data alone')
    .option('--text', 'read the reply as text and print it as it is')
    .addHelpText(
      'after',
      `
Output: the reply's JSON data, pretty-printed (nothing for an empty reply); with --include
{"status": number, "id": number|null, "location": string|null, "data": …} (id: the X-Created / X-location ID).

Example: copernica request GET /database/1/profiles --query 'fields[]=country==nl' --query limit=10`,
    )
    .action(async (method: string, path: string, opts: RequestOpts) => {
      const m = method.toUpperCase();
      if (!['GET', 'POST', 'PUT', 'DELETE'].includes(m))
        throw new UsageError(`method must be GET, POST, PUT or DELETE, got ${JSON.stringify(method)}`);
      const req: RawRequest = { method: m as RawRequest['method'], path: path.startsWith('/') ? path : `/${path}` };
      if (opts.query) req.query = parseQuery(opts.query);
      if (opts.data !== undefined) {
        if (m === 'GET' || m === 'DELETE') throw new UsageError(`--data is for POST and PUT, not ${m}`);
        req.body = parseData(opts.data);
      }
      if (opts.text) req.responseType = 'text';
      const res = await ctx.client().request(req);
      if (opts.include) {
        await write(
          ctx.stdout,
          `${JSON.stringify({ status: res.status, id: res.id ?? null, location: res.location ?? null, data: res.data ?? null }, null, 2)}\n`,
        );
      } else if (opts.text) {
        if (typeof res.data === 'string' && res.data) await write(ctx.stdout, res.data.endsWith('\n') ? res.data : `${res.data}\n`);
      } else if (res.data !== undefined && res.data !== '') {
        await write(ctx.stdout, `${JSON.stringify(res.data, null, 2)}\n`);
      }
    });
}
