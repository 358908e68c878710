// Benchmark 2: exporting every profile of a 100,000-profile database with 10 ms of added latency
// per request: a naive sequential offset loop with raw undici (what the PHP clients do), the SDK
// iterator, the SDK iterator with concurrency 8, and key-based iteration. Interleaved rounds.
import { request } from 'undici';
import { Copernica } from '../dist/index.js';
import { fmt, median, shuffled, startFake, verdict } from './lib.mjs';

const ROUNDS = 3;
const PROFILES = 100_000;

export async function exportBench() {
  const fake = await startFake({ profiles: PROFILES, latencyMs: 10 });
  try {
    const client = new Copernica({ accessToken: fake.token, baseUrl: fake.apiUrl, maxRetries: 0, timeout: 600_000 });
    const tok = encodeURIComponent(fake.token);
    const count = async (iterable) => {
      let n = 0;
      for await (const _ of iterable) n++;
      return n;
    };
    const contenders = {
      'naive offset loop (raw undici)': async () => {
        let n = 0;
        for (let start = 0; ; start += 100) {
          const res = await request(`${fake.apiUrl}/database/${fake.databaseId}/profiles?start=${start}&limit=100&access_token=${tok}`);
          const page = await res.body.json();
          n += page.data.length;
          if (page.data.length < 100) return n;
        }
      },
      'SDK for await (sequential)': () => count(client.profiles.list(fake.databaseId)),
      'SDK for await, concurrency 8': () => count(client.profiles.list(fake.databaseId, { concurrency: 8 })),
      "SDK for await, iterate: 'key'": () => count(client.profiles.list(fake.databaseId, { iterate: 'key' })),
    };
    const names = Object.keys(contenders);
    const samples = Object.fromEntries(names.map((n) => [n, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const n of shuffled(names, round + 7)) {
        const started = performance.now();
        const got = await contenders[n]();
        if (got !== PROFILES) throw new Error(`${n} exported ${got} profiles, expected ${PROFILES}`);
        samples[n].push((performance.now() - started) / 1000);
      }
    }
    const med = Object.fromEntries(names.map((n) => [n, median(samples[n])]));
    const naive = med['naive offset loop (raw undici)'];
    const rows = names.map((n) => `| ${n} | ${fmt(med[n], 2)} s | ${fmt(PROFILES / med[n])} | ${fmt(naive / med[n], 2)}x |`);
    const lines = names.map(
      (n) =>
        `  ${n.padEnd(32)} ${fmt(med[n], 2).padStart(7)} s  ${fmt(PROFILES / med[n]).padStart(7)} profiles/s  ${fmt(naive / med[n], 2)}x naive`,
    );
    const speedup = naive / med['SDK for await, concurrency 8'];
    const targets = [{ what: 'export, concurrency 8: ≥ 6x faster than the naive loop', value: `${fmt(speedup, 2)}x`, met: speedup >= 6 }];
    return { title: 'Export', lines, rows, targets, med };
  } finally {
    await fake.stop();
  }
}
