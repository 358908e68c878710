// Child process of the load-cost benchmark: time to import('copernica-rest') (the built dist, by
// name), then what making a client costs (the first one, and the median of the next 1,000).
const started = performance.now();
const mod = await import('copernica-rest');
const ms = performance.now() - started;
if (typeof mod.Copernica !== 'function') throw new Error('no Copernica export');
const rssMb = process.memoryUsage().rss / 1048576;
const peakRssMb = process.resourceUsage().maxRSS / 1024;
let t = performance.now();
new mod.Copernica({ accessToken: 'bench-token-0' });
const firstClientMs = performance.now() - t;
const each = [];
for (let i = 1; i <= 1000; i++) {
  t = performance.now();
  new mod.Copernica({ accessToken: `bench-token-${i}` });
  each.push(performance.now() - t);
}
each.sort((a, b) => a - b);
console.log(JSON.stringify({ ms, rssMb, peakRssMb, firstClientMs, clientUs: each[500] * 1000 }));
