/**
 * Benchmark: stream a generated logfile of a given size through `client.logfiles.records()` and
 * print rows/s, MB/s and peak RSS. The fake server runs in this process (its logfiles are lazy,
 * rendered while read), so the RSS figure covers client and server together.
 *
 * Node cannot run the sources directly (they import `./x.js` for `./x.ts`), so bundle first:
 *
 *   node_modules/.bin/esbuild bench/logfile-records.ts --bundle --platform=node --format=esm \
 *     --packages=external --outfile=.tmp/logfile-records.mjs
 *   node_modules/.bin/node .tmp/logfile-records.mjs [sizeMB=1024] [format=csv|json|xml] [type=cdm-click]
 */
import { Copernica } from '../src/client.js';
import type { LogfileRecordFormat, LogfileTypeName } from '../src/resources/logfiles.js';
import { createFakeCopernica } from '../src/testing/index.js';

const sizeMb = Number(process.argv[2] ?? 1024);
const format = (process.argv[3] ?? 'csv') as LogfileRecordFormat;
const type = (process.argv[4] ?? 'cdm-click') as LogfileTypeName;
if (!(sizeMb > 0) || !['csv', 'json', 'xml'].includes(format)) {
  console.error('usage: logfile-records.mjs [sizeMB] [csv|json|xml] [logfile type]');
  process.exit(2);
}

const fake = await createFakeCopernica({ seed: 1, profiles: 1 });
const client = new Copernica({ accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl, timeout: 3_600_000 });

// Bytes per row of this type and format, measured on a sample, to size the file.
const sample = fake.generateLogfile({ type, date: '2024-01-01', rows: 5_000, seed: 2 });
let sampleBytes = 0;
for await (const chunk of await client.logfiles.download(sample, { format })) sampleBytes += (chunk as Buffer).length;
const rows = Math.max(1, Math.round((sizeMb * 1024 * 1024) / (sampleBytes / 5_000)));
const name = fake.generateLogfile({ type, date: '2024-01-02', rows, seed: 3 });

let peakRss = process.memoryUsage.rss();
let peakHeap = 0;
let peakBuffers = 0;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
  peakBuffers = Math.max(peakBuffers, m.arrayBuffers);
}, 50);
const started = process.hrtime.bigint();
let n = 0;
let checksum = 0;
for await (const row of client.logfiles.records(name, { format })) {
  n++;
  checksum += typeof row.time === 'string' ? row.time.length : 0;
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage.rss());
await fake.close();

const mb = (rows * sampleBytes) / 5_000 / 1024 / 1024;
console.log(
  JSON.stringify({
    type,
    format,
    rows: n,
    expectedRows: rows,
    approxMB: Math.round(mb),
    seconds: Number(seconds.toFixed(2)),
    rowsPerSecond: Math.round(n / seconds),
    mbPerSecond: Number((mb / seconds).toFixed(1)),
    peakRssMB: Math.round(peakRss / 1024 / 1024),
    peakHeapUsedMB: Math.round(peakHeap / 1024 / 1024),
    peakArrayBuffersMB: Math.round(peakBuffers / 1024 / 1024),
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    checksum,
  }),
);
if (n !== rows) process.exit(1);
