// Child process of the memory benchmark: streams a logfile through client.logfiles.records(), prints peak RSS.
import { Copernica } from '../dist/index.js';
const [apiUrl, token, name] = process.argv.slice(2);
const client = new Copernica({ accessToken: token, baseUrl: apiUrl, maxRetries: 0, timeout: 3_600_000 });
let n = 0;
const started = performance.now();
for await (const row of client.logfiles.records(name)) {
  if (row === undefined) throw new Error('bad row');
  n++;
}
console.log(JSON.stringify({ items: n, seconds: (performance.now() - started) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
