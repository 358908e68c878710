// Child process of the memory benchmark: iterates N profiles through the SDK (sequential by default,
// as `for await` does without options), prints peak RSS.
import { Copernica } from '../dist/index.js';
const [apiUrl, token, databaseId, limit, concurrency = '1'] = process.argv.slice(2);
const client = new Copernica({ accessToken: token, baseUrl: apiUrl, maxRetries: 0, timeout: 600_000 });
const want = Number(limit);
let n = 0;
const started = performance.now();
for await (const p of client.profiles.list(Number(databaseId), { concurrency: Number(concurrency) })) {
  if (typeof p.ID !== 'number') throw new Error('bad profile');
  if (++n >= want) break;
}
console.log(JSON.stringify({ items: n, seconds: (performance.now() - started) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
