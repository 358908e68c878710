/**
 * Load: 20,000 calls at concurrency 64 against the fake over loopback, through an undici Agent
 * handed to the client as `dispatcher`. No call fails, no socket is left open once the agent is
 * closed (counted with `process.getActiveResourcesInfo()`, which sees both ends of every loopback
 * connection in this process), and the heap after the run is close to the heap before it.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { Agent } from 'undici';
import { expect, it } from 'vitest';
import { Copernica } from '../../src/index.js';
import { createFakeCopernica } from '../../src/testing/index.js';
import { hard, SecretScanner } from './helpers.js';

const CALLS = 20_000;
const CONCURRENCY = 64;

/** A real `gc()` even without `--expose-gc` on the command line. */
function gcFunction(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

async function settledHeap(gc: (() => void) | undefined): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
}

const sockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

it(`${CALLS} calls at concurrency ${CONCURRENCY}: no error, no leaked socket, flat memory`, { timeout: 60_000 }, async () => {
  const scanner = new SecretScanner();
  const fake = await createFakeCopernica({ seed: 2, profiles: 500, maxLogEntries: 100 });
  scanner.addSecret(fake.accounts[0]!.token);
  const baseSockets = sockets();
  const agent = new Agent({ connections: CONCURRENCY, keepAliveTimeout: 10_000 });
  const client = new Copernica({
    accessToken: fake.accounts[0]!.token,
    baseUrl: fake.apiUrl,
    dispatcher: agent,
    maxRetries: 0,
    timeout: 20_000,
    logger: scanner.logger,
  });
  const db = [...fake.account().databases.values()][0]!;
  const ids = db.ids.slice(0, 100);

  // A mix: the account, one profile, a small page of profiles.
  const call = (i: number): Promise<unknown> =>
    i % 10 === 9
      ? client.profiles.list(db.id, { limit: 10, start: i % 400 }).then((p) => p.data)
      : i % 2
        ? client.profiles.get(ids[i % ids.length]!)
        : client.identity.get();

  const run = async (from: number, to: number) => {
    let next = from;
    let errors = 0;
    const worker = async () => {
      while (next < to) {
        const i = next++;
        try {
          await call(i);
        } catch (error) {
          errors++;
          scanner.record({ error });
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return errors;
  };

  const gc = gcFunction();
  // Warm up (JIT, zod schemas, sockets), then measure the heap.
  expect(await run(0, 1_000)).toBe(0);
  const heapBefore = await settledHeap(gc);
  const started = performance.now();
  const errors = await hard(run(0, CALLS), 55_000, 'the load run');
  const seconds = (performance.now() - started) / 1000;
  const heapAfter = await settledHeap(gc);

  expect(errors, 'calls that failed').toBe(0);
  expect(fake.requests.at(-1)?.status).toBe(200);

  // Flat memory: a leak of even 1 KB per call would show as 20 MB.
  const growthMb = (heapAfter - heapBefore) / 1024 / 1024;
  expect(growthMb, `heap growth in MB (gc ${gc ? 'forced' : 'not available'})`).toBeLessThan(gc ? 15 : 40);

  // No leaked socket: closing the agent closes every connection, on both ends.
  expect(sockets(), 'open sockets during the run (keep-alive)').toBeGreaterThan(baseSockets);
  await agent.close();
  expect(await until(() => sockets() <= baseSockets, 5_000), `sockets left open: ${sockets() - baseSockets}`).toBe(true);
  await fake.close();
  expect(await until(() => sockets() === 0 || sockets() <= baseSockets, 2_000)).toBe(true);

  const { errors: scanned } = scanner.scan();
  console.log(`load: ${CALLS} calls`);
  console.log(
    `load: ${Math.round(CALLS / seconds)} calls/s at concurrency ${CONCURRENCY}, heap ${growthMb >= 0 ? '+' : ''}${growthMb.toFixed(1)} MB, ${scanned} errors, ${scanner.lines} log lines scanned`,
  );
});
