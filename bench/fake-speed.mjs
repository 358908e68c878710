// Benchmark 5: the fake's own speed (raw undici at concurrency 16, bodies discarded, against the
// fake in its own process) and the memory of a 1,000,000-profile seed.
import { request } from 'undici';
import { fmt, median, startFake, throughput } from './lib.mjs';

export async function fakeSpeed(sdkPageRate) {
  const fake = await startFake({ profiles: 1000 });
  let identity;
  let page;
  try {
    const tok = encodeURIComponent(fake.token);
    const small = `${fake.apiUrl}/identity?access_token=${tok}`;
    const big = `${fake.apiUrl}/database/${fake.databaseId}/profiles?limit=100&access_token=${tok}`;
    await throughput(async () => (await request(small)).body.json(), 1000, 16);
    const a = [];
    const b = [];
    for (let i = 0; i < 5; i++) {
      // The cheapest client there is (body read and discarded), so the figure is the fake's, not the client's.
      a.push(await throughput(async () => (await request(small)).body.dump(), 12000, 16));
      b.push(await throughput(async () => (await request(big)).body.dump(), 3000, 16));
    }
    identity = median(a);
    page = median(b);
  } finally {
    await fake.stop();
  }
  const million = await startFake({ profiles: 1_000_000 }, ['--expose-gc']);
  await million.stop();
  const lines = [
    `  GET /identity                      ${fmt(identity).padStart(7)} req/s (raw undici, c=16, body discarded)`,
    `  GET 100-profile page               ${fmt(page).padStart(7)} req/s (raw undici, c=16, body discarded)`,
    `  seed of 1,000,000 profiles         ${fmt(million.seedMs)} ms, heap +${fmt(million.heapMb, 1)} MB, process RSS ${fmt(million.totalRssMb, 1)} MB`,
  ];
  const rows = [
    `| GET /identity (raw undici, c=16, body discarded) | ${fmt(identity)} req/s |`,
    `| GET one 100-profile page (raw undici, c=16, body discarded) | ${fmt(page)} req/s |`,
    `| seed of 1,000,000 profiles | ${fmt(million.seedMs)} ms; heap +${fmt(million.heapMb, 1)} MB after GC; process RSS ${fmt(million.totalRssMb, 1)} MB |`,
  ];
  const targets = [
    {
      what: "the fake's page rate is above the SDK's (not the bottleneck of benchmark 1)",
      value: `${fmt(page)} vs ${fmt(sdkPageRate ?? 0)} req/s`,
      met: sdkPageRate === undefined || page > sdkPageRate,
    },
    { what: '1,000,000-profile seed: heap < 64 MB (target set here)', value: `${fmt(million.heapMb, 1)} MB`, met: million.heapMb < 64 },
  ];
  return { title: "The fake's own speed", lines, rows, targets };
}
