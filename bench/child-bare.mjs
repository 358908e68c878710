// Child process of the load-cost benchmark: the baseline. A Node process that imports nothing and
// prints what child-import.mjs prints, so the two differ only by the import.
console.log(JSON.stringify({ ms: 0, rssMb: process.memoryUsage().rss / 1048576, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
