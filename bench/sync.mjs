// Benchmark: client.profiles.sync() against the naive loop a user writes (GET by key, then PUT or
// POST, one record at a time), with 10 ms of latency per request on the fake (own process).
// - first run: 10,000 records into an empty database; re-run: the same records with 10% changed;
// - the naive loop runs on 1,000 records (10 ms per request makes 10,000 take minutes) and is
//   extrapolated per record to 10,000: it is sequential, so its time is linear in the records;
// - memory: peak RSS of a child process syncing 10,000 and 100,000 generated records (dry run,
//   latency 0: the lookups are the same, and 100,000 writes at 10 ms would take many minutes).
// Run alone: `npm run build && node bench/sync.mjs`.
import { fileURLToPath } from 'node:url';
import { fmt, runChild, startFake } from './lib.mjs';

const N = 10_000;
const NAIVE_N = 1_000;
const CONCURRENCY = 16;

function record(i, changed = false) {
  return {
    customerId: `C${i}`,
    firstname: changed ? `Changed${i}` : `Name${i}`,
    email: `c${i}@example.com`,
    age: String(20 + (i % 50)),
    country: ['netherlands', 'germany', 'belgium'][i % 3],
  };
}
function* source(n, changedEvery = 0, from = 0) {
  for (let i = from; i < from + n; i++) yield record(i, changedEvery > 0 && i % changedEvery === 0);
}

async function setup(Copernica, fake) {
  const counts = { GET: 0, PUT: 0, POST: 0 };
  const logger = { debug: (_m, meta) => meta && meta.attempt !== undefined && (counts[String(meta.request).split(' ')[0]] += 1) };
  const client = new Copernica({ accessToken: fake.token, baseUrl: fake.apiUrl, logger, timeout: 600_000 });
  const db = (await client.databases.list()).data.find((d) => d.name === 'customers').ID;
  await client.databases.fields.create(db, { name: 'customerId', type: 'text', index: true });
  const reset = () => {
    const c = { ...counts };
    counts.GET = counts.PUT = counts.POST = 0;
    return c;
  };
  reset();
  return { client, db, reset };
}

async function naive(client, db, n, changedEvery, from) {
  const t0 = performance.now();
  for (const r of source(n, changedEvery, from)) {
    const found = (await client.profiles.list(db, { where: `customerId==${r.customerId}`, limit: 1 })).data[0];
    if (found) await client.profiles.fields.update(found.ID, r);
    else await client.profiles.create(db, { fields: r });
  }
  return (performance.now() - t0) / 1000;
}

async function sdk(client, db, n, changedEvery) {
  const t0 = performance.now();
  const summary = await client.profiles.sync(db, source(n, changedEvery), { key: 'customerId', concurrency: CONCURRENCY }).summary();
  return { seconds: (performance.now() - t0) / 1000, summary };
}

const kinds = (c) => `GET ${fmt(c.GET)}, PUT ${fmt(c.PUT)}, POST ${fmt(c.POST)}`;

export async function syncBench() {
  const { Copernica } = await import('../dist/index.js');
  const lines = [];
  const rows = [];
  // SDK
  const fakeA = await startFake({ profiles: 0, latencyMs: 10 });
  let s1, s2, c1, c2;
  try {
    const a = await setup(Copernica, fakeA);
    s1 = await sdk(a.client, a.db, N, 0);
    c1 = a.reset();
    s2 = await sdk(a.client, a.db, N, 10);
    c2 = a.reset();
  } finally {
    await fakeA.stop();
  }
  // Naive loop
  const fakeB = await startFake({ profiles: 0, latencyMs: 10 });
  let n1, n2, k1, k2;
  try {
    const b = await setup(Copernica, fakeB);
    // The fake's key lookup scans the database, so the naive sample runs at the same database size
    // as the sync: the first 9,000 records are put in untimed, the naive loop times the last 1,000.
    await b.client.profiles.sync(b.db, source(N - NAIVE_N), { key: 'customerId', concurrency: CONCURRENCY }).summary();
    b.reset();
    n1 = await naive(b.client, b.db, NAIVE_N, 0, N - NAIVE_N);
    k1 = b.reset();
    n2 = await naive(b.client, b.db, NAIVE_N, 10, N - NAIVE_N);
    k2 = b.reset();
  } finally {
    await fakeB.stop();
  }
  const scale = N / NAIVE_N;
  const naive1 = n1 * scale;
  const naive2 = n2 * scale;
  const naiveWrites2 = (k2.PUT + k2.POST) * scale;
  const sdkWrites2 = c2.PUT + c2.POST;
  const speed1 = naive1 / s1.seconds;
  const speed2 = naive2 / s2.seconds;
  const writeShare = sdkWrites2 / naiveWrites2;

  lines.push(`  first run, ${fmt(N)} records into an empty database (10 ms latency):`);
  lines.push(`    sync (concurrency ${CONCURRENCY}) ${fmt(s1.seconds, 1)} s  requests ${kinds(c1)}  (${s1.summary.created} created)`);
  lines.push(`    naive loop ${fmt(n1, 1)} s for ${fmt(NAIVE_N)} → ${fmt(naive1, 1)} s for ${fmt(N)}  requests per ${fmt(NAIVE_N)}: ${kinds(k1)}  → ${fmt(speed1, 1)}× faster`);
  lines.push(`  re-run, 10% changed:`);
  lines.push(`    sync ${fmt(s2.seconds, 1)} s  requests ${kinds(c2)}  (${s2.summary.updated} updated, ${s2.summary.unchanged} unchanged)`);
  lines.push(`    naive loop ${fmt(n2, 1)} s for ${fmt(NAIVE_N)} → ${fmt(naive2, 1)} s for ${fmt(N)}  requests per ${fmt(NAIVE_N)}: ${kinds(k2)}  → ${fmt(speed2, 1)}× faster, ${fmt(writeShare * 100, 1)}% of its writes`);
  rows.push(`| first run, ${fmt(N)} records, empty database | ${fmt(s1.seconds, 1)} s; ${kinds(c1)} | ${fmt(naive1, 1)} s (extrapolated from ${fmt(NAIVE_N)}); per ${fmt(NAIVE_N)}: ${kinds(k1)} | ${fmt(speed1, 1)}× |`);
  rows.push(`| re-run, 10% changed | ${fmt(s2.seconds, 1)} s; ${kinds(c2)} | ${fmt(naive2, 1)} s (extrapolated); per ${fmt(NAIVE_N)}: ${kinds(k2)} | ${fmt(speed2, 1)}×, ${fmt(writeShare * 100, 1)}% of the writes |`);

  // Memory: the source is generated lazily; the run's memory must not grow with it.
  const fakeC = await startFake({ profiles: 0, latencyMs: 0 });
  const mem = {};
  try {
    for (const n of [10_000, 100_000, 200_000]) mem[n] = await runChild('./sync.mjs', ['--child', fakeC.apiUrl, fakeC.token, String(n)], ['--expose-gc']);
  } finally {
    await fakeC.stop();
  }
  const m10 = mem[10_000];
  const m100 = mem[100_000];
  const growth = m100.peakRssMb / m10.peakRssMb;
  const growth2 = mem[200_000].peakRssMb / m100.peakRssMb;
  for (const n of [10_000, 100_000, 200_000]) {
    const m = mem[n];
    lines.push(`  memory (dry run, latency 0): ${fmt(n).padStart(7)} records  peak RSS ${fmt(m.peakRssMb, 1)} MB, heap after GC ${fmt(m.heapMb, 1)} MB (${fmt(m.seconds, 1)} s)`);
    rows.push(`| memory, dry run of ${fmt(n)} records | peak RSS ${fmt(m.peakRssMb, 1)} MB; heap after GC ${fmt(m.heapMb, 1)} MB | | |`);
  }

  const targets = [
    { what: 'first run ≥ 6× the naive loop', value: `${fmt(speed1, 1)}×`, met: speed1 >= 6 },
    { what: 're-run (10% changed) sends ≤ 15% of the naive loop\'s writes', value: `${fmt(writeShare * 100, 1)}%`, met: writeShare <= 0.15 },
    { what: 're-run ≥ 8× faster than the naive loop', value: `${fmt(speed2, 1)}×`, met: speed2 >= 8 },
    { what: 'memory flat with the source size: peak RSS 100k vs 10k records ≤ 1.25×', value: `×${fmt(growth, 2)}`, met: growth <= 1.25 },
    { what: 'memory flat with the source size: peak RSS 200k vs 100k records ≤ 1.25×', value: `×${fmt(growth2, 2)}`, met: growth2 <= 1.25 },
  ];
  return { title: 'Sync', lines, rows, targets };
}

async function child([apiUrl, token, n]) {
  const { Copernica } = await import('../dist/index.js');
  const client = new Copernica({ accessToken: token, baseUrl: apiUrl, timeout: 600_000 });
  const db = (await client.databases.list()).data.find((d) => d.name === 'customers').ID;
  const t0 = performance.now();
  const s = await client.profiles.sync(db, source(Number(n)), { key: 'email', concurrency: CONCURRENCY, dryRun: true }).summary();
  if (s.done !== Number(n)) throw new Error(`synced ${s.done} of ${n}`);
  const seconds = (performance.now() - t0) / 1000;
  globalThis.gc?.();
  console.log(JSON.stringify({ seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, heapMb: process.memoryUsage().heapUsed / 1048576 }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === '--child') await child(process.argv.slice(3));
  else {
    const r = await syncBench();
    console.log(r.lines.join('\n'));
    for (const t of r.targets) console.log(`  target: ${t.what}: ${t.value} → ${t.met ? 'met' : 'NOT met'}`);
  }
}
