// Child process of the load-cost benchmark: time to import('copernica-rest') (the built dist, by name).
const started = performance.now();
const mod = await import('copernica-rest');
const ms = performance.now() - started;
if (typeof mod.Copernica !== 'function') throw new Error('no Copernica export');
console.log(JSON.stringify({ ms, rssMb: process.memoryUsage().rss / 1048576 }));
