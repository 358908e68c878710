// Child process of the load-cost benchmark: what the first call pays (lazily loaded modules, models
// built on first use) and what the calls after it cost, against the fake: identity.get() once, then
// 200 more one at a time (median), then the first and later 100-profile pages.
import { Copernica } from 'copernica-rest';
const [apiUrl, token, databaseId] = process.argv.slice(2);
const client = new Copernica({ accessToken: token, baseUrl: apiUrl, maxRetries: 0 });
const time = async (fn) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};
const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
const firstCallMs = await time(() => client.identity.get());
const later = [];
for (let i = 0; i < 200; i++) later.push(await time(() => client.identity.get()));
const firstPageMs = await time(() => client.profiles.list(Number(databaseId), { limit: 100 }));
const pages = [];
for (let i = 0; i < 50; i++) pages.push(await time(() => client.profiles.list(Number(databaseId), { limit: 100 })));
console.log(JSON.stringify({ firstCallMs, laterCallMs: med(later), firstPageMs, laterPageMs: med(pages) }));
