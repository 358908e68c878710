// Profiling aid (not part of npm run bench): 1,000 SDK page calls at c=16 under --cpu-prof.
// node --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile-page.mjs
import { Copernica } from '../dist/index.js';
import { startFake, throughput } from './lib.mjs';
const fake = await startFake({ profiles: 1000 });
const client = new Copernica({ accessToken: fake.token, baseUrl: fake.apiUrl, maxRetries: 0 });
const rate = await throughput(() => client.profiles.list(fake.databaseId, { limit: 100 }), 1000, 16);
console.log(JSON.stringify({ rate }));
await fake.stop();
