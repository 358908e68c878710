// Benchmark 3: peak RSS of a client process while iterating profiles (250k, 1M and 2M, the default
// sequential `for await`) and while streaming a logfile through records() (~100 MB and ~1 GB), each
// in a fresh child process with Node's default flags; the fake runs in another process.
import { fmt, runChild, startFake } from './lib.mjs';

const LIMIT_MB = 150;
/** How far the SDK's peak may sit above raw undici's reading the same pages under the same flags. */
const ABOVE_RAW_MB = 20;
const signed = (n) => `${n >= 0 ? '+' : ''}${fmt(n, 1)}`;

export async function memory() {
  const rows = [];
  const lines = [];
  const results = {};
  const fake = await startFake({
    profiles: 2_000_000,
    logfiles: [
      { type: 'cdm-click', date: '2024-02-01', rows: 400_000 },
      { type: 'cdm-click', date: '2024-02-02', rows: 4_000_000 },
    ],
  });
  try {
    for (const n of [250_000, 1_000_000, 2_000_000]) {
      const r = await runChild('./child-iterate.mjs', [fake.apiUrl, fake.token, String(fake.databaseId), String(n)]);
      results[`profiles ${n}`] = r;
      rows.push(`| iterate ${fmt(n)} profiles (\`for await\`, sequential) | ${fmt(r.peakRssMb, 1)} MB | ${fmt(r.seconds, 1)} s |`);
      lines.push(`  iterate ${fmt(n).padStart(9)} profiles   peak RSS ${fmt(r.peakRssMb, 1).padStart(6)} MB   ${fmt(r.seconds, 1)} s`);
    }
    for (const [i, name] of fake.logfiles.entries()) {
      const size = i === 0 ? '~100 MB' : '~1 GB';
      const r = await runChild('./child-logfile.mjs', [fake.apiUrl, fake.token, name]);
      results[`logfile ${size}`] = r;
      rows.push(`| records() of a ${size} CSV logfile (${fmt(r.items)} rows) | ${fmt(r.peakRssMb, 1)} MB | ${fmt(r.seconds, 1)} s |`);
      lines.push(
        `  records() ${size.padEnd(8)} ${fmt(r.items).padStart(9)} rows   peak RSS ${fmt(r.peakRssMb, 1).padStart(6)} MB   ${fmt(r.seconds, 1)} s`,
      );
    }
    // For reference: what is not the SDK's. A process that only imported it; the same 1,000,000
    // profiles read with raw undici and body.json() (the floor: no validation, no conversion); and
    // both with V8's young generation capped (V8 grows it to 128 MB under a sustained download;
    // --max-semi-space-size is the application's choice, not a library's).
    const base = await runChild('./child-import.mjs');
    rows.push(`| (reference) a process that only imported the SDK | ${fmt(base.rssMb, 1)} MB | |`);
    lines.push(`  reference: RSS after import('copernica-rest') alone ${fmt(base.rssMb, 1)} MB`);
    const profileArgs = [fake.apiUrl, fake.token, String(fake.databaseId), '1000000'];
    const raw = await runChild('./child-raw-iterate.mjs', profileArgs);
    results.raw = raw;
    rows.push(
      `| (reference) the same 1,000,000 profiles with raw undici \`request()\` + \`body.json()\`, no SDK | ${fmt(raw.peakRssMb, 1)} MB | ${fmt(raw.seconds, 1)} s |`,
    );
    lines.push(`  reference: 1,000,000 profiles with raw undici (no SDK): peak RSS ${fmt(raw.peakRssMb, 1)} MB   ${fmt(raw.seconds, 1)} s`);
    const capped = ['--max-semi-space-size=8'];
    const pc = await runChild('./child-iterate.mjs', profileArgs, capped);
    results.capped = pc;
    rows.push(`| (reference) iterate 1,000,000 profiles, node ${capped[0]} | ${fmt(pc.peakRssMb, 1)} MB | ${fmt(pc.seconds, 1)} s |`);
    lines.push(`  reference: iterate 1,000,000 with ${capped[0]}: peak RSS ${fmt(pc.peakRssMb, 1)} MB   ${fmt(pc.seconds, 1)} s`);
    const rc = await runChild('./child-raw-iterate.mjs', profileArgs, capped);
    results.rawCapped = rc;
    rows.push(`| (reference) raw undici, 1,000,000 profiles, node ${capped[0]} | ${fmt(rc.peakRssMb, 1)} MB | ${fmt(rc.seconds, 1)} s |`);
    lines.push(`  reference: raw undici 1,000,000 with ${capped[0]}: peak RSS ${fmt(rc.peakRssMb, 1)} MB   ${fmt(rc.seconds, 1)} s`);
  } finally {
    await fake.stop();
  }
  const p1 = results['profiles 250000'].peakRssMb;
  const p2 = results['profiles 1000000'].peakRssMb;
  const p3 = results['profiles 2000000'].peakRssMb;
  const l1 = results['logfile ~100 MB'].peakRssMb;
  const l2 = results['logfile ~1 GB'].peakRssMb;
  const targets = [
    // What the SDK controls: its peak over raw undici reading the same pages with the same flags
    // (Node, V8 and undici's own floor is ~250 MB with the defaults: no client on this stack is below it).
    {
      what: `iterating 1,000,000 profiles: peak RSS ≤ raw undici's + ${ABOVE_RAW_MB} MB, default flags`,
      value: `${fmt(p2, 1)} MB vs ${fmt(results.raw.peakRssMb, 1)} MB (${signed(p2 - results.raw.peakRssMb)} MB)`,
      met: p2 - results.raw.peakRssMb <= ABOVE_RAW_MB,
    },
    {
      what: `iterating 1,000,000 profiles: peak RSS ≤ raw undici's + ${ABOVE_RAW_MB} MB, --max-semi-space-size=8`,
      value: `${fmt(results.capped.peakRssMb, 1)} MB vs ${fmt(results.rawCapped.peakRssMb, 1)} MB (${signed(results.capped.peakRssMb - results.rawCapped.peakRssMb)} MB)`,
      met: results.capped.peakRssMb - results.rawCapped.peakRssMb <= ABOVE_RAW_MB,
    },
    // V8 sizes its young generation during the first few hundred thousand profiles (250k → 1M shows
    // that); whether memory grows with the size of the export shows from 1M to 2M.
    {
      what: 'iterating: does not grow with size (2M ≤ 1.1 × 1M)',
      value: `${fmt(p3 / p2, 2)}x (1M vs 250k: ${fmt(p2 / p1, 2)}x)`,
      met: p3 <= p2 * 1.1,
    },
    { what: `records() of a ~1 GB logfile: peak RSS < ${LIMIT_MB} MB`, value: `${fmt(l2, 1)} MB`, met: l2 < LIMIT_MB },
    { what: 'records(): does not grow with size (1 GB ≤ 1.25 × 100 MB)', value: `${fmt(l2 / l1, 2)}x`, met: l2 <= l1 * 1.25 },
  ];
  return { title: 'Memory', lines, rows, targets };
}
