// Benchmark 1: the SDK's overhead. client.identity.get() and one 100-profile page through the SDK
// (typed methods with zod validation; and client.request(), the same pipeline without a model) against
// raw undici request() and global fetch, at concurrency 1 and 16, interleaved round by round.
import { request } from 'undici';
import { Copernica } from '../dist/index.js';
import { fmt, median, shuffled, spread, startFake, throughput } from './lib.mjs';

const ROUNDS = 7;

export async function overhead() {
  const fake = await startFake({ profiles: 1000 });
  try {
    const client = new Copernica({ accessToken: fake.token, baseUrl: fake.apiUrl, maxRetries: 0 });
    const tok = encodeURIComponent(fake.token);
    const identityUrl = `${fake.apiUrl}/identity?access_token=${tok}`;
    // Exactly the query the SDK sends for one page.
    const pagePath = `/database/${fake.databaseId}/profiles`;
    const pageUrl = `${fake.apiUrl}${pagePath}?start=0&limit=100&total=true&access_token=${tok}`;

    const workloads = {
      'identity.get()': {
        calls: { 1: 1500, 16: 12000 },
        contenders: {
          'SDK typed (zod)': () => client.identity.get(),
          'SDK client.request (no model)': () => client.request({ method: 'GET', path: '/identity' }),
          'undici request()': async () => (await request(identityUrl)).body.json(),
          'fetch()': async () => (await fetch(identityUrl)).json(),
        },
      },
      '100-profile page': {
        calls: { 1: 600, 16: 2400 },
        contenders: {
          'SDK typed (zod)': async () => {
            const page = await client.profiles.list(fake.databaseId, { limit: 100 });
            if (page.data.length !== 100) throw new Error('short page');
          },
          'SDK client.request (no model)': () =>
            client.request({ method: 'GET', path: pagePath, query: { start: 0, limit: 100, total: true } }),
          'undici request()': async () => (await request(pageUrl)).body.json(),
          'fetch()': async () => (await fetch(pageUrl)).json(),
        },
      },
    };

    const results = [];
    for (const [workload, w] of Object.entries(workloads)) {
      for (const concurrency of [1, 16]) {
        const names = Object.keys(w.contenders);
        const samples = Object.fromEntries(names.map((n) => [n, []]));
        // Warm-up of every contender (JIT, sockets, schemas).
        for (const n of names) await throughput(w.contenders[n], Math.min(200, w.calls[concurrency]), concurrency);
        for (let round = 0; round < ROUNDS; round++) {
          for (const n of shuffled(names, round * 31 + concurrency))
            samples[n].push(await throughput(w.contenders[n], w.calls[concurrency], concurrency));
        }
        const med = Object.fromEntries(names.map((n) => [n, median(samples[n])]));
        // Each round's contenders ran back to back: the ratio within a round is the fair one, and
        // its spread over the rounds shows how steady a figure is on this machine.
        const ratios = Object.fromEntries(names.map((n) => [n, samples[n].map((v, i) => v / samples['undici request()'][i])]));
        results.push({ workload, concurrency, med, ratios });
      }
    }

    const lines = [];
    const rows = [];
    const targets = [];
    for (const r of results) {
      const undici = r.med['undici request()'];
      for (const [n, v] of Object.entries(r.med)) {
        const rounds = spread(r.ratios[n], 2);
        rows.push(`| ${r.workload} | ${r.concurrency} | ${n} | ${fmt(v)} | ${fmt(v / undici, 2)} | ${rounds} |`);
        lines.push(
          `  ${r.workload.padEnd(17)} c=${String(r.concurrency).padEnd(3)} ${n.padEnd(30)} ${fmt(v).padStart(7)} calls/s  ${fmt(v / undici, 2)}x undici (rounds ${rounds})`,
        );
      }
      if (r.concurrency === 16) {
        const sdk = r.med['SDK typed (zod)'];
        const ratio = sdk / undici;
        targets.push({
          what: `${r.workload}, c=16: SDK ≥ 0.95 × raw undici (median of ${ROUNDS} rounds; per-round spread in brackets)`,
          value: `${fmt(ratio, 2)}x (rounds ${spread(r.ratios['SDK typed (zod)'], 2)})`,
          met: ratio >= 0.95,
        });
        const vsFetch = sdk / r.med['fetch()'];
        targets.push({ what: `${r.workload}, c=16: SDK ahead of fetch`, value: `${fmt(vsFetch, 2)}x fetch`, met: vsFetch > 1 });
      }
    }
    return { title: 'Overhead', lines, rows, targets, results };
  } finally {
    await fake.stop();
  }
}
