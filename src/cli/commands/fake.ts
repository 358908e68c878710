/** `copernica fake`: starts the fake Copernica server (loaded lazily: no other command loads it). */
import { Option, type Command } from 'commander';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { write } from '../output.js';

function nonNegative(name: string, value: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new UsageError(`${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return Number(value);
}

export function registerFake(program: Command, ctx: CliContext): void {
  program
    .command('fake')
    .description('start a fake Copernica server for trying the CLI and the SDK without an account (prints its URLs and FAKE tokens; Ctrl-C stops it)')
    .option('--port <port>', 'port on 127.0.0.1 (0: a free one)', '0')
    .option('--seed <n>', 'seed of the generated data and tokens', '1')
    .option('--profiles <n>', 'profiles in each account\'s main database', '50')
    .option('--json', 'print one JSON line {"url", "apiUrl", "accounts": [{"id", "name", "token"}], "app": {"clientId", "clientSecret", "redirectUri"}, "users": [{"username", "password", "accounts"}]}')
    .addOption(new Option('--put-status <status>', 'status of a successful PUT').choices(['303', '200']).default('303'))
    .action(async (opts: { port: string; seed: string; profiles: string; json?: boolean; putStatus: string }) => {
      const port = nonNegative('--port', opts.port);
      if (port > 65535) throw new UsageError('--port must be at most 65535');
      const seed = nonNegative('--seed', opts.seed);
      const profiles = nonNegative('--profiles', opts.profiles);
      const { createFakeCopernica } = await import('../../testing/index.js');
      const fake = await createFakeCopernica({ port, seed, profiles, putStatus: Number(opts.putStatus) as 303 | 200 });
      const app = fake.app;
      // Listen for Ctrl-C before printing, so a signal right after the output still stops cleanly.
      const stopped = new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      if (opts.json) {
        await write(
          ctx.stdout,
          `${JSON.stringify({
            url: fake.url,
            apiUrl: fake.apiUrl,
            accounts: fake.accounts.map((a) => ({ id: a.id, name: a.name, token: a.token })),
            app: { clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: app.redirectUri },
            users: fake.users.map((u) => ({ username: u.username, password: u.password, accounts: u.accounts })),
          })}\n`,
        );
      } else {
        const lines = [
          `Fake Copernica REST v1 listening (these tokens and secrets are fake)`,
          `  API:          ${fake.apiUrl}`,
          `  web (OAuth):  ${fake.url}/en/authorize`,
          'Accounts and access tokens:',
          ...fake.accounts.map((a) => `  ${a.id}  ${a.name.padEnd(18)} ${a.token}`),
          'OAuth app:',
          `  client id ${app.clientId}  client secret ${app.clientSecret}  redirect uri ${app.redirectUri}`,
          ...fake.users.map((u) => `  web user ${u.username} / ${u.password} (accounts ${u.accounts.join(', ')})`),
          'Try:',
          `  export COPERNICA_BASE_URL=${fake.apiUrl} COPERNICA_ACCESS_TOKEN=${fake.accounts[0]?.token ?? ''}`,
          '  copernica databases list',
        ];
        await write(ctx.stdout, `${lines.join('\n')}\n`);
      }
      await stopped;
      await fake.close();
    });
}
