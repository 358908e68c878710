// Benchmark 3: peak RSS of a client process while iterating profiles (250k and 1M) and while
// streaming a logfile through records() (~100 MB and ~1 GB), each in a fresh child process; the
// fake runs in another process.
import { fmt, runChild, startFake } from './lib.mjs';

const LIMIT_MB = 150;

export async function memory() {
  const rows = [];
  const lines = [];
  const results = {};
  const fake = await startFake({
    profiles: 1_000_000,
    logfiles: [
      { type: 'cdm-click', date: '2024-02-01', rows: 400_000 },
      { type: 'cdm-click', date: '2024-02-02', rows: 4_000_000 },
    ],
  });
  try {
    for (const n of [250_000, 1_000_000]) {
      const r = await runChild('./child-iterate.mjs', [fake.apiUrl, fake.token, String(fake.databaseId), String(n)]);
      results[`profiles ${n}`] = r;
      rows.push(`| iterate ${fmt(n)} profiles (concurrency 4) | ${fmt(r.peakRssMb, 1)} MB | ${fmt(r.seconds, 1)} s |`);
      lines.push(`  iterate ${fmt(n).padStart(9)} profiles   peak RSS ${fmt(r.peakRssMb, 1).padStart(6)} MB   ${fmt(r.seconds, 1)} s`);
    }
    for (const [i, name] of fake.logfiles.entries()) {
      const size = i === 0 ? '~100 MB' : '~1 GB';
      const r = await runChild('./child-logfile.mjs', [fake.apiUrl, fake.token, name]);
      results[`logfile ${size}`] = r;
      rows.push(`| records() of a ${size} CSV logfile (${fmt(r.items)} rows) | ${fmt(r.peakRssMb, 1)} MB | ${fmt(r.seconds, 1)} s |`);
      lines.push(`  records() ${size.padEnd(8)} ${fmt(r.items).padStart(9)} rows   peak RSS ${fmt(r.peakRssMb, 1).padStart(6)} MB   ${fmt(r.seconds, 1)} s`);
    }
  } finally {
    await fake.stop();
  }
  const p1 = results['profiles 250000'].peakRssMb;
  const p2 = results['profiles 1000000'].peakRssMb;
  const l1 = results['logfile ~100 MB'].peakRssMb;
  const l2 = results['logfile ~1 GB'].peakRssMb;
  const targets = [
    { what: `iterating 1,000,000 profiles: peak RSS < ${LIMIT_MB} MB`, value: `${fmt(p2, 1)} MB`, met: p2 < LIMIT_MB },
    { what: 'iterating: does not grow with size (1M ≤ 1.25 × 250k)', value: `${fmt(p2 / p1, 2)}x`, met: p2 <= p1 * 1.25 },
    { what: `records() of a ~1 GB logfile: peak RSS < ${LIMIT_MB} MB`, value: `${fmt(l2, 1)} MB`, met: l2 < LIMIT_MB },
    { what: 'records(): does not grow with size (1 GB ≤ 1.25 × 100 MB)', value: `${fmt(l2 / l1, 2)}x`, met: l2 <= l1 * 1.25 },
  ];
  return { title: 'Memory', lines, rows, targets };
}
