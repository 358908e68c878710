// Benchmark: client.profiles.sync() against the naive loop a user writes (GET by key, then PUT or
// POST, one record at a time), with 10 ms of latency per request on the fake (own process).
// - first run: 10,000 records into an empty database; re-run: the same records with 10% changed;
// - the naive loop runs on 1,000 records (10 ms per request makes 10,000 take minutes) and is
//   extrapolated per record to 10,000: it is sequential, so its time is linear in the records;
// - memory: child processes syncing 10,000 and 100,000 generated records (dry run, latency 0: the
//   lookups are the same, and 100,000 writes at 10 ms would take many minutes), each beside a raw
//   undici child sending the same lookups with the same flags (what Node, V8 and undici cost before
//   the SDK does anything), with Node's defaults and with --max-semi-space-size=8 (V8's young
//   generation capped, to tell its growth from retention); the heap the run retains is read after a
//   GC at its last outcome, while everything the run keeps is still alive.
// Run alone: `npm run build && node bench/sync.mjs`.
import { fileURLToPath } from 'node:url';
import { fmt, runChild, startFake } from './lib.mjs';

/** How far the SDK's peak RSS may sit above raw undici's sending the same lookups under the same flags. */
const ABOVE_RAW_MB = 20;
/**
 * What the run may retain per record: the duplicate-key set (one key per record of the run, by
 * design: a key seen again anywhere in the source is reported, never raced or silently merged).
 */
const KEY_SET_BYTES = 128;
const SIZES = [10_000, 100_000];
const CAPPED = ['--max-semi-space-size=8'];
const signed = (n) => `${n >= 0 ? '+' : ''}${fmt(n, 1)}`;

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
    // The naive sample runs at the same database size as the sync (the first 9,000 records are put
    // in untimed, the naive loop times the last 1,000), so no contender gains from a smaller database.
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
  lines.push(
    `    naive loop ${fmt(n1, 1)} s for ${fmt(NAIVE_N)} → ${fmt(naive1, 1)} s for ${fmt(N)}  requests per ${fmt(NAIVE_N)}: ${kinds(k1)}  → ${fmt(speed1, 1)}× faster`,
  );
  lines.push(`  re-run, 10% changed:`);
  lines.push(`    sync ${fmt(s2.seconds, 1)} s  requests ${kinds(c2)}  (${s2.summary.updated} updated, ${s2.summary.unchanged} unchanged)`);
  lines.push(
    `    naive loop ${fmt(n2, 1)} s for ${fmt(NAIVE_N)} → ${fmt(naive2, 1)} s for ${fmt(N)}  requests per ${fmt(NAIVE_N)}: ${kinds(k2)}  → ${fmt(speed2, 1)}× faster, ${fmt(writeShare * 100, 1)}% of its writes`,
  );
  rows.push(
    `| first run, ${fmt(N)} records, empty database | ${fmt(s1.seconds, 1)} s; ${kinds(c1)} | ${fmt(naive1, 1)} s (extrapolated from ${fmt(NAIVE_N)}); per ${fmt(NAIVE_N)}: ${kinds(k1)} | ${fmt(speed1, 1)}× |`,
  );
  rows.push(
    `| re-run, 10% changed | ${fmt(s2.seconds, 1)} s; ${kinds(c2)} | ${fmt(naive2, 1)} s (extrapolated); per ${fmt(NAIVE_N)}: ${kinds(k2)} | ${fmt(speed2, 1)}×, ${fmt(writeShare * 100, 1)}% of the writes |`,
  );

  // Memory: the source is generated lazily; what the run keeps must not grow with it beyond the
  // duplicate-key set, and its peak must stay near raw undici's sending the same lookups.
  const fakeC = await startFake({ profiles: 0, latencyMs: 0 });
  const mem = {};
  try {
    await setup(Copernica, fakeC); // the key field: without it every record would fail before its lookup
    for (const [flags, tag] of [
      [[], 'default'],
      [CAPPED, 'capped'],
    ]) {
      for (const n of SIZES) {
        mem[`sdk ${tag} ${n}`] = await runChild('./sync.mjs', ['--child', fakeC.apiUrl, fakeC.token, String(n)], ['--expose-gc', ...flags]);
        mem[`raw ${tag} ${n}`] = await runChild(
          './sync.mjs',
          ['--raw-child', fakeC.apiUrl, fakeC.token, String(n)],
          ['--expose-gc', ...flags],
        );
      }
    }
  } finally {
    await fakeC.stop();
  }
  const [small, large] = SIZES;
  for (const [tag, label] of [
    ['default', "Node's defaults"],
    ['capped', CAPPED[0]],
  ]) {
    for (const n of SIZES) {
      const m = mem[`sdk ${tag} ${n}`];
      const r = mem[`raw ${tag} ${n}`];
      lines.push(
        `  memory (dry run, latency 0, ${label}): ${fmt(n).padStart(7)} records  peak RSS ${fmt(m.peakRssMb, 1)} MB (raw undici, same lookups: ${fmt(r.peakRssMb, 1)} MB, ${signed(m.peakRssMb - r.peakRssMb)} MB); heap at the last outcome ${fmt(m.heapAtEndMb, 1)} MB, after the run ${fmt(m.heapAfterMb, 1)} MB (${fmt(m.seconds, 1)} s)`,
      );
      rows.push(
        `| memory, dry run of ${fmt(n)} records, ${label} | peak RSS ${fmt(m.peakRssMb, 1)} MB; heap at the last outcome ${fmt(m.heapAtEndMb, 1)} MB, after the run ${fmt(m.heapAfterMb, 1)} MB | raw undici, the same lookups: peak RSS ${fmt(r.peakRssMb, 1)} MB | ${signed(m.peakRssMb - r.peakRssMb)} MB |`,
      );
    }
  }
  const kept = ((mem[`sdk capped ${large}`].heapAtEndMb - mem[`sdk capped ${small}`].heapAtEndMb) * 1048576) / (large - small);
  const over = (tag) => mem[`sdk ${tag} ${large}`].peakRssMb - mem[`raw ${tag} ${large}`].peakRssMb;
  const growth = (who, tag) => mem[`${who} ${tag} ${large}`].peakRssMb - mem[`${who} ${tag} ${small}`].peakRssMb;
  const memTargets = [
    {
      what: `memory flat with the source size: heap the run retains, ${fmt(small)} → ${fmt(large)} records, ≤ ${KEY_SET_BYTES} B per record (the duplicate-key set, by design)`,
      value: `${fmt(kept, 0)} B per record (${fmt(mem[`sdk capped ${small}`].heapAtEndMb, 1)} → ${fmt(mem[`sdk capped ${large}`].heapAtEndMb, 1)} MB)`,
      met: kept <= KEY_SET_BYTES,
    },
    ...['default', 'capped'].map((tag) => ({
      what: `memory flat with the source size: peak RSS growth ${fmt(small)} → ${fmt(large)} records ≤ raw undici's (same lookups) + ${ABOVE_RAW_MB} MB, ${tag === 'default' ? "Node's defaults" : CAPPED[0]}`,
      value: `${signed(growth('sdk', tag))} MB vs ${signed(growth('raw', tag))} MB`,
      met: growth('sdk', tag) - growth('raw', tag) <= ABOVE_RAW_MB,
    })),
    ...['default', 'capped'].map((tag) => ({
      what: `memory: peak RSS at ${fmt(large)} records ≤ raw undici's (same lookups) + ${ABOVE_RAW_MB} MB, ${tag === 'default' ? "Node's defaults" : CAPPED[0]}`,
      value: `${fmt(mem[`sdk ${tag} ${large}`].peakRssMb, 1)} MB vs ${fmt(mem[`raw ${tag} ${large}`].peakRssMb, 1)} MB (${signed(over(tag))} MB)`,
      met: over(tag) <= ABOVE_RAW_MB,
    })),
  ];

  const targets = [
    { what: 'first run ≥ 6× the naive loop', value: `${fmt(speed1, 1)}×`, met: speed1 >= 6 },
    { what: "re-run (10% changed) sends ≤ 15% of the naive loop's writes", value: `${fmt(writeShare * 100, 1)}%`, met: writeShare <= 0.15 },
    { what: 're-run ≥ 8× faster than the naive loop', value: `${fmt(speed2, 1)}×`, met: speed2 >= 8 },
    ...memTargets,
  ];
  return { title: 'Sync', lines, rows, targets };
}

/** The SDK: a dry run of `n` records (each looked up by key); the heap is read after a GC at the last outcome. */
async function child([apiUrl, token, n]) {
  const { Copernica } = await import('../dist/index.js');
  const client = new Copernica({ accessToken: token, baseUrl: apiUrl, timeout: 600_000 });
  const db = (await client.databases.list()).data.find((d) => d.name === 'customers').ID;
  const total = Number(n);
  let heapAtEndMb = NaN;
  const onProgress = (p) => {
    if (p.done !== total) return;
    globalThis.gc();
    heapAtEndMb = process.memoryUsage().heapUsed / 1048576;
  };
  const t0 = performance.now();
  const s = await client.profiles
    .sync(db, source(total), { key: 'customerId', concurrency: CONCURRENCY, dryRun: true, onProgress })
    .summary();
  if (s.done !== total || s.created !== total)
    throw new Error(`synced ${s.done} of ${n}, ${s.created} would be created, ${s.failed} failed`);
  const seconds = (performance.now() - t0) / 1000;
  globalThis.gc();
  console.log(
    JSON.stringify({
      seconds,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      heapAtEndMb,
      heapAfterMb: process.memoryUsage().heapUsed / 1048576,
    }),
  );
}

/** The floor: the same lookups (same records, same concurrency) with raw undici request() and body.json(), nothing kept. */
async function rawChild([apiUrl, token, n]) {
  const { request } = await import('undici');
  const auth = `access_token=${encodeURIComponent(token)}`;
  const dbs = await (await request(`${apiUrl}/databases?${auth}`)).body.json();
  const db = dbs.data.find((d) => d.name === 'customers').ID;
  const it = source(Number(n));
  let done = 0;
  const t0 = performance.now();
  const worker = async () => {
    for (let r = it.next(); !r.done; r = it.next()) {
      const q = `fields[]=${encodeURIComponent(`customerId==${r.value.customerId}`)}&limit=2&total=false&${auth}`;
      const page = await (await request(`${apiUrl}/database/${db}/profiles?${q}`)).body.json();
      if (!Array.isArray(page.data)) throw new Error('bad page');
      done++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (done !== Number(n)) throw new Error(`looked up ${done} of ${n}`);
  const seconds = (performance.now() - t0) / 1000;
  globalThis.gc?.();
  console.log(
    JSON.stringify({ seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, heapAfterMb: process.memoryUsage().heapUsed / 1048576 }),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === '--child') await child(process.argv.slice(3));
  else if (process.argv[2] === '--raw-child') await rawChild(process.argv.slice(3));
  else {
    const r = await syncBench();
    console.log(r.lines.join('\n'));
    for (const t of r.targets) console.log(`  target: ${t.what}: ${t.value} → ${t.met ? 'met' : 'NOT met'}`);
  }
}
