/**
 * `copernica login`: the OAuth authorization-code flow for a registered application, with a
 * callback server on 127.0.0.1. The token goes to the config file (mode 0600), or to stdout with
 * `--print`.
 */
import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Option, type Command } from 'commander';
import type { CliConfigFile } from '../config.js';
import type { CliContext } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { write } from '../output.js';

const DEFAULT_PORT = 8976;
/** Stray callback requests reported on stderr (a scanner must not flood the terminal). */
const MAX_STRAY_NOTES = 5;

interface LoginOpts {
  clientId?: string;
  clientSecret?: string;
  redirectPort?: string;
  redirectUri?: string;
  authorizeUrl?: string;
  language: 'en' | 'nl';
  open?: boolean;
  print?: boolean;
  timeout: string;
}

/** The callback URI and the port to listen on. Only loopback http URIs: the callback server runs here. */
function redirectOf(opts: LoginOpts): { uri: URL; port: number } {
  const portOpt = opts.redirectPort === undefined ? undefined : Number(opts.redirectPort);
  if (portOpt !== undefined && (!/^\d+$/.test(opts.redirectPort ?? '') || portOpt < 1 || portOpt > 65535)) {
    throw new UsageError(`--redirect-port must be a port number 1-65535, got ${JSON.stringify(opts.redirectPort)}`);
  }
  if (opts.redirectUri === undefined) {
    const port = portOpt ?? DEFAULT_PORT;
    return { uri: new URL(`http://127.0.0.1:${port}/callback`), port };
  }
  let uri: URL;
  try {
    uri = new URL(opts.redirectUri);
  } catch {
    throw new UsageError(`--redirect-uri must be an absolute URL, got ${JSON.stringify(opts.redirectUri)}`);
  }
  if (uri.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(uri.hostname) || uri.search || uri.hash) {
    throw new UsageError(
      '--redirect-uri must be http://127.0.0.1:<port>/<path> or http://localhost:<port>/<path> (the callback server runs on this machine)',
    );
  }
  const port = uri.port ? Number(uri.port) : 80;
  if (portOpt !== undefined && portOpt !== port)
    throw new UsageError(`--redirect-port ${portOpt} differs from the port of --redirect-uri (${port})`);
  return { uri, port };
}

/** Copernica's authorize page lives on the web host; for another API base (the fake) it is that base without `/v1`. */
function authorizeBase(opts: LoginOpts, apiBase: string | undefined, defaultBase: string): string | undefined {
  if (opts.authorizeUrl) return opts.authorizeUrl;
  if (!apiBase || apiBase.replace(/\/+$/, '') === defaultBase) return undefined;
  const u = new URL(apiBase);
  u.pathname = u.pathname.replace(/\/+$/, '').replace(/\/v1$/, '') || '/';
  return u.toString().replace(/\/+$/, '');
}

/** Exactly one `state` parameter, equal to ours (compared in constant time). */
function sameState(given: readonly string[], expected: string, timingSafeEqual: (a: Buffer, b: Buffer) => boolean): boolean {
  if (given.length !== 1) return false;
  const a = Buffer.from(given[0] as string);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function page(title: string, text: string): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1><p>${esc(text)}</p></body></html>`;
}

function openBrowser(url: string, ctx: CliContext): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd as string, args as string[], { detached: true, stdio: 'ignore' });
    child.on('error', () => ctx.note('copernica: could not open a browser; open the URL above yourself'));
    child.unref();
  } catch {
    ctx.note('copernica: could not open a browser; open the URL above yourself');
  }
}

export function registerLogin(program: Command, ctx: CliContext): void {
  program
    .command('login')
    .description('authorize this machine with OAuth (registered app) and store the token in the config file (mode 0600)')
    .option('--client-id <id>', 'client key of the registered application (default: $COPERNICA_CLIENT_ID)')
    .option('--client-secret <secret>', 'secret of the application (better: $COPERNICA_CLIENT_SECRET, which stays out of `ps`)')
    .option(
      '--redirect-port <port>',
      `port of the callback server on 127.0.0.1 (default ${DEFAULT_PORT}; redirect URI http://127.0.0.1:<port>/callback)`,
    )
    .option('--redirect-uri <uri>', 'the redirect URI registered with the application (a loopback http URL)')
    .option('--authorize-url <url>', 'web host of the authorize page (default https://www.copernica.com, or the --base-url without /v1)')
    .addOption(new Option('--language <lang>', 'language of the authorize page').choices(['en', 'nl']).default('en'))
    .option('--open', 'open the authorize URL in a browser (where possible)')
    .option('--print', 'print the token on stdout instead of storing it')
    .option('--timeout <seconds>', 'give up when no callback arrives in time', '300')
    .addHelpText(
      'after',
      `
The authorize URL is printed on stderr. With --print the token is the only line on stdout.
COPERNICA_ACCESS_TOKEN, when set, overrides the stored token for every other command.`,
    )
    .action(async (opts: LoginOpts) => {
      // The SDK, the OAuth helper, the config file and node:http (~40 ms to load) are loaded when
      // login runs, not for `--help`.
      const [
        { Copernica },
        { DEFAULT_BASE_URL },
        { CopernicaOAuth },
        { readConfig, resolveBaseUrl, writeConfig },
        { createServer },
        { timingSafeEqual },
      ] = await Promise.all([
        import('../../client.js'),
        import('../../core/config.js'),
        import('../../oauth/oauth.js'),
        import('../config.js'),
        import('node:http'),
        import('node:crypto'),
      ]);
      const clientId = opts.clientId ?? ctx.env.COPERNICA_CLIENT_ID;
      const clientSecret = opts.clientSecret ?? ctx.env.COPERNICA_CLIENT_SECRET;
      if (!clientId) throw new UsageError('login needs --client-id (or COPERNICA_CLIENT_ID)');
      if (!clientSecret) throw new UsageError('login needs --client-secret or COPERNICA_CLIENT_SECRET');
      ctx.secrets.push(clientSecret);
      if (!/^\d+$/.test(opts.timeout) || Number(opts.timeout) < 1) throw new UsageError('--timeout must be a positive number of seconds');
      const { uri, port } = redirectOf(opts);
      const file = opts.print ? ({} as CliConfigFile) : readConfig(ctx.env);
      const apiBase = resolveBaseUrl(ctx.globals, ctx.env, { ...(file.baseUrl ? { baseUrl: file.baseUrl } : {}) });
      const authBase = authorizeBase(opts, apiBase, DEFAULT_BASE_URL);
      const oauth = new CopernicaOAuth({
        clientId,
        clientSecret,
        redirectUri: uri.toString(),
        language: opts.language,
        ...(apiBase ? { apiBaseUrl: apiBase } : {}),
        ...(authBase ? { authorizeBaseUrl: authBase } : {}),
      });
      const { url, state } = oauth.createAuthorizationUrl();

      const token = await new Promise<string>((resolve, reject) => {
        let settled = false;
        let strays = 0;
        const server = createServer((req: IncomingMessage, res: ServerResponse) => {
          let reqUrl: URL;
          try {
            reqUrl = new URL(req.url ?? '/', 'http://127.0.0.1');
          } catch {
            res.writeHead(400, { 'content-type': 'text/plain' }).end('Bad request\n');
            return;
          }
          if (req.method !== 'GET' || reqUrl.pathname !== uri.pathname || settled) {
            res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
            return;
          }
          // Only the callback of THIS login (its state) ends the wait. Anything else that reaches
          // the port (a stale tab, a scan, another program) gets a 400 page and the wait goes on.
          if (!sameState(reqUrl.searchParams.getAll('state'), state, timingSafeEqual)) {
            res
              .writeHead(400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
              .end(
                page(
                  'Not the login in progress',
                  'This callback does not belong to the copernica login that is waiting. Start from the URL it printed.',
                ),
              );
            strays++;
            if (strays <= MAX_STRAY_NOTES)
              ctx.note('copernica: ignored a request to the callback without the state of this login; still waiting');
            if (strays === MAX_STRAY_NOTES) ctx.note(`copernica: (further ignored requests are not reported)`);
            return;
          }
          settled = true;
          const finish = (status: number, title: string, text: string, outcome: () => void) => {
            res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page(title, text));
            clearTimeout(timer);
            server.close();
            server.closeAllConnections();
            outcome();
          };
          let code: string;
          try {
            code = oauth.validateCallback(reqUrl, state).code;
          } catch (error) {
            finish(400, 'Copernica login failed', (error as Error).message, () => reject(error));
            return;
          }
          oauth.exchangeCode(code).then(
            (result) =>
              finish(200, 'Copernica CLI authorized', 'You can close this window and return to the terminal.', () =>
                resolve(result.accessToken),
              ),
            (error: unknown) => finish(502, 'Copernica login failed', (error as Error).message, () => reject(error)),
          );
        });
        const timer = setTimeout(() => {
          if (settled) return;
          settled = true;
          server.close();
          server.closeAllConnections();
          reject(new CliError(`no callback within ${opts.timeout} s; run \`copernica login\` again`));
        }, Number(opts.timeout) * 1000);
        server.on('error', (error: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          settled = true;
          reject(
            new CliError(
              error.code === 'EADDRINUSE'
                ? `port ${port} is in use; choose another with --redirect-port (and register that redirect URI)`
                : `callback server: ${error.message}`,
            ),
          );
        });
        server.listen(port, '127.0.0.1', () => {
          const actual = (server.address() as AddressInfo).port;
          ctx.note(`Waiting for the callback on http://127.0.0.1:${actual}${uri.pathname}`);
          ctx.note(`Open this URL in a browser to authorize the Copernica CLI:\n${url}`);
          if (opts.open) openBrowser(url, ctx);
        });
      });
      ctx.secrets.push(token);

      if (opts.print) {
        await write(ctx.stdout, `${token}\n`);
        return;
      }
      const saved: CliConfigFile = { accessToken: token };
      if (apiBase) saved.baseUrl = apiBase;
      const where = writeConfig(ctx.env, saved);
      let account = '';
      try {
        const me = await new Copernica({ accessToken: token, ...(apiBase ? { baseUrl: apiBase } : {}) }).identity.get();
        account = ` to account ${me.ID} (${me.name})`;
      } catch {
        account = '';
      }
      ctx.note(`Logged in${account}; token stored in ${where} (mode 0600).`);
      if (ctx.env.COPERNICA_ACCESS_TOKEN) ctx.note('Note: COPERNICA_ACCESS_TOKEN is set and overrides the stored token.');
    });
}
