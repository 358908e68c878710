// Child process of the memory benchmark: the floor. The same 1,000,000 profiles read page by page
// with raw undici request() and body.json() (what a user writes without the SDK), no validation, no
// conversion. Prints peak RSS: what Node, V8 and undici cost before the SDK does anything.
import { request } from 'undici';
const [apiUrl, token, databaseId, limit] = process.argv.slice(2);
const want = Number(limit);
let n = 0;
const started = performance.now();
for (let start = 0; n < want; start += 100) {
  const url = `${apiUrl}/database/${databaseId}/profiles?start=${start}&limit=100&total=false&access_token=${encodeURIComponent(token)}`;
  const page = await (await request(url)).body.json();
  if (page.data.length === 0) break;
  for (const p of page.data) {
    if (typeof p.ID !== 'string') throw new Error('bad profile');
    if (++n >= want) break;
  }
}
console.log(JSON.stringify({ items: n, seconds: (performance.now() - started) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
