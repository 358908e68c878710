/**
 * Not a test: measures the fake's memory with 1,000,000 profiles and its request rate.
 *
 *   npx esbuild test/testing/measure.ts --bundle --platform=node --format=esm --outfile=/tmp/measure.mjs \
 *     && node_modules/.bin/node --expose-gc /tmp/measure.mjs [profiles]
 */
import { createFakeCopernica } from '../../src/testing/index.js';

const profiles = Number(process.argv[2] ?? 1_000_000);
const gc = (globalThis as { gc?: () => void }).gc;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

gc?.();
const before = process.memoryUsage();
let t = performance.now();
const fake = await createFakeCopernica({ seed: 1, profiles });
const startMs = performance.now() - t;
gc?.();
const after = process.memoryUsage();
console.log(
  `seeded ${profiles.toLocaleString('en')} profiles in ${startMs.toFixed(0)} ms; heap +${mb(after.heapUsed - before.heapUsed)}, rss ${mb(after.rss)}`,
);

const token = fake.accounts[0]!.token;
const u = (p: string) => `${fake.apiUrl}${p}${p.includes('?') ? '&' : '?'}access_token=${token}`;
async function timed(label: string, p: string): Promise<void> {
  t = performance.now();
  const r = await fetch(u(p));
  const body = await r.text();
  console.log(`${label}: ${r.status}, ${(performance.now() - t).toFixed(1)} ms, ${body.length} bytes`);
}
await timed('first page', '/database/1/profiles?limit=100');
await timed('key page near the end', `/database/1/profiles?fields[]=${encodeURIComponent(`id>${profiles - 100}`)}&orderby=id&total=false`);
await timed('full-scan filter', `/database/1/profiles?fields[]=${encodeURIComponent('firstname=~m%')}&limit=100`);
await timed('view over all profiles', '/view/1/profiles?limit=100');

async function rate(label: string, p: string, seconds = 3, concurrency = 8): Promise<void> {
  let n = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const r = await fetch(u(p));
        await r.arrayBuffer();
        n++;
      }
    }),
  );
  console.log(`${label}: ${(n / seconds).toFixed(0)} req/s (concurrency ${concurrency}, client in the same process)`);
}
await rate('GET /identity', '/identity');
await rate('GET 100 profiles', '/database/1/profiles?limit=100&start=5000');
gc?.();
console.log(`after load: heap ${mb(process.memoryUsage().heapUsed)}, rss ${mb(process.memoryUsage().rss)}`);
await fake.close();
