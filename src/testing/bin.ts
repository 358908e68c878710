#!/usr/bin/env node
/** `copernica-fake --port 4567 --seed 1 --profiles 1000`: start the fake and print its URLs and tokens. */
import { parseArgs } from 'node:util';
import { createFakeCopernica } from './index.js';

const HELP = `Usage: copernica-fake [--port N] [--host H] [--seed N] [--profiles N] [--latency MS] [--put-status 303|200]

Starts a fake Copernica REST API v1 server and prints its URLs, tokens and OAuth demo credentials.
Stops on Ctrl-C (SIGINT) or SIGTERM.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string', default: '1' },
      profiles: { type: 'string', default: '50' },
      latency: { type: 'string', default: '0' },
      'put-status': { type: 'string', default: '303' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const int = (name: string, v: string): number => {
    if (!/^\d+$/.test(v)) throw new Error(`--${name} must be a non-negative integer`);
    return Number(v);
  };
  const putStatus = int('put-status', values['put-status']);
  if (putStatus !== 303 && putStatus !== 200) throw new Error('--put-status must be 303 or 200');
  const started = Date.now();
  const fake = await createFakeCopernica({
    port: int('port', values.port),
    host: values.host,
    seed: int('seed', values.seed),
    profiles: int('profiles', values.profiles),
    latencyMs: int('latency', values.latency),
    putStatus,
  });
  console.log(`Fake Copernica REST v1 listening (started in ${Date.now() - started} ms)`);
  console.log(`  web (OAuth):  ${fake.url}/en/authorize`);
  console.log(`  API:          ${fake.apiUrl}`);
  console.log('Accounts and access tokens:');
  for (const a of fake.accounts) console.log(`  ${a.id}  ${a.name.padEnd(18)} ${a.token}`);
  console.log('OAuth demo:');
  console.log(`  client_id ${fake.app.clientId}  client_secret ${fake.app.clientSecret}  redirect_uri ${fake.app.redirectUri}`);
  for (const u of fake.users) console.log(`  user ${u.username} / ${u.password} (accounts ${u.accounts.join(', ')})`);
  const stop = (): void => {
    fake.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`copernica-fake: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
