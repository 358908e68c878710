// Child process: starts the fake Copernica server (from dist) and prints one JSON line describing
// it, so that benchmark clients and the server do not share a CPU core or an event loop.
// Usage: node bench/fake-server.mjs '{"profiles":1000,"latencyMs":0,"logfiles":[{"type":"cdm-click","date":"2024-02-01","rows":400000}]}'
import { createFakeCopernica } from '../dist/testing.js';

const opts = JSON.parse(process.argv[2] ?? '{}');
const rssBefore = process.memoryUsage().rss;
const heapBefore = process.memoryUsage().heapUsed;
const started = performance.now();
const fake = await createFakeCopernica({ seed: 1, profiles: opts.profiles ?? 1000, latencyMs: opts.latencyMs ?? 0, maxLogEntries: 1 });
const seedMs = performance.now() - started;
globalThis.gc?.();
const mem = process.memoryUsage();
const db = [...fake.account().databases.values()][0];
const logfiles = (opts.logfiles ?? []).map((l) => fake.generateLogfile(l));
process.stdout.write(
  JSON.stringify({
    apiUrl: fake.apiUrl,
    token: fake.accounts[0].token,
    databaseId: db.id,
    profiles: db.ids.length,
    logfiles,
    seedMs,
    heapMb: (mem.heapUsed - heapBefore) / 1048576,
    rssMb: (mem.rss - rssBefore) / 1048576,
    totalRssMb: mem.rss / 1048576,
  }) + '\n',
);
process.on('SIGTERM', () => fake.close().then(() => process.exit(0)));
process.stdin.resume();
process.stdin.on('end', () => fake.close().then(() => process.exit(0)));
