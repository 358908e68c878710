// `npm run bench`: every benchmark against the fake on loopback (the fake in its own process),
// contenders interleaved, medians and ratios printed with their targets; BENCHMARKS.md rewritten
// with the figures. `node bench/run.mjs overhead export` runs a subset (BENCHMARKS.md untouched).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { exportBench } from './export.mjs';
import { fakeSpeed } from './fake-speed.mjs';
import { fmt, ROOT, verdict } from './lib.mjs';
import { cliStart } from './cli-start.mjs';
import { loadCost } from './load-cost.mjs';
import { memory } from './memory.mjs';
import { overhead } from './overhead.mjs';
import { syncBench } from './sync.mjs';

const ALL = ['overhead', 'export', 'memory', 'load', 'cli', 'fake', 'sync'];
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
for (const c of chosen) if (!ALL.includes(c)) throw new Error(`unknown benchmark ${c}; one of ${ALL.join(', ')}`);

const started = Date.now();
const sections = [];
let sdkPageRate;
for (const name of chosen) {
  const t0 = Date.now();
  console.log(`\n== ${name} ==`);
  let r;
  if (name === 'overhead') {
    r = await overhead();
    sdkPageRate = r.results.find((x) => x.workload === '100-profile page' && x.concurrency === 16)?.med['SDK typed (zod)'];
  } else if (name === 'export') r = await exportBench();
  else if (name === 'memory') r = await memory();
  else if (name === 'load') r = await loadCost();
  else if (name === 'sync') r = await syncBench();
  else if (name === 'cli') r = await cliStart();
  else r = await fakeSpeed(sdkPageRate);
  console.log(r.lines.join('\n'));
  for (const t of r.targets) console.log(`  target: ${t.what}: ${t.value} → ${verdict(t.met)}`);
  console.log(`  (${fmt((Date.now() - t0) / 1000, 1)} s)`);
  sections.push({ name, ...r });
}
const minutes = (Date.now() - started) / 60_000;
console.log(`\nall benchmarks: ${fmt(minutes, 1)} min`);

if (chosen.length === ALL.length) {
  const targets = sections.flatMap((s) => s.targets.map((t) => `| ${s.title} | ${t.what} | ${t.value} | **${verdict(t.met)}** |`));
  const table = (s, head) => [head, head.replace(/[^|]/g, '-').replace(/-+/g, '---'), ...s.rows].join('\n');
  const by = Object.fromEntries(sections.map((s) => [s.name, s]));
  const md = `# Benchmarks

Figures from one run of \`npm run bench\` on this machine (${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${fmt(totalmem() / 2 ** 30, 1)} GB,
Node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)}), ${fmt(minutes, 1)} minutes in all.

**Reproduce:** \`npm run bench\` (builds, then runs \`node bench/run.mjs\`; a subset: \`node bench/run.mjs overhead export memory load cli fake sync\`).

The fake server runs in its own process (\`bench/fake-server.mjs\`) so that client and server do not
share an event loop; on a 2-core machine they still share the CPU, and other work on the machine
shows in absolute numbers. Read the ratios: the contenders of a benchmark run interleaved in one
process (shuffled order per round), and each figure is the median of the rounds.

## Targets

| Benchmark | Target | Measured | |
|---|---|---|---|
${targets.join('\n')}

## 1. Overhead (calls per second; median of 7 interleaved rounds)

"SDK typed" is the typed method (\`client.identity.get()\`, \`await client.profiles.list(db, { limit: 100 })\`),
whose reply is parsed by its zod model. The client has no switch to turn validation off, so
"SDK client.request" (the same pipeline: token, deadline, retries, errors, redaction, JSON, but no
model) stands in for "validation off". Ratios are against raw undici \`request()\` at the same concurrency.

${table(by.overhead, '| Workload | Concurrency | Contender | Calls/s | × undici | × undici per round |')}

## 2. Export of 100,000 profiles, 10 ms latency per request (median of 3 interleaved rounds)

${table(by.export, '| Contender | Time | Profiles/s | × naive loop |')}

## 3. Memory (peak RSS of a fresh client process; the fake runs in another)

${table(by.memory, '| Workload | Peak RSS | Time |')}

## 4. Cost to load

${table(by.load, '| Measure | Value |')}

## 4b. CLI start-up (fresh processes, spawn to exit, median of 11 interleaved rounds)

${table(by.cli, '| Command | Median | Spread |')}

## 5. The fake's own speed

${table(by.fake, '| Measure | Value |')}

## 6. Sync of 10,000 records, 10 ms latency per request (\`client.profiles.sync\` vs the naive GET-then-PUT/POST loop)

${table(by.sync, '| Run | Sync | Naive loop | Ratio |')}
`;
  // Hand-written findings below the marker survive a rerun.
  const file = join(ROOT, 'BENCHMARKS.md');
  const MARK = '<!-- findings: kept by bench/run.mjs -->';
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const kept = old.includes(MARK) ? old.slice(old.indexOf(MARK)) : `${MARK}\n`;
  writeFileSync(file, `${md}\n${kept}`);
  console.log('BENCHMARKS.md written');
}
