// A CommonJS consumer: require() of the root, the oauth subpath and the testing subpath.
const assert = require('node:assert/strict');
const { Copernica, CopernicaOAuth, isNotFoundError, ValidationError } = require('copernica-rest');
const oauth = require('copernica-rest/oauth');
const { createFakeCopernica } = require('copernica-rest/testing');

(async () => {
  assert.equal(oauth.CopernicaOAuth, CopernicaOAuth);
  assert.throws(() => new Copernica({ accessToken: '' }), ValidationError);
  const fake = await createFakeCopernica({ seed: 1 });
  try {
    const client = new Copernica({ accessToken: fake.accounts[0].token, baseUrl: fake.apiUrl });
    const me = await client.identity.get();
    assert.equal(typeof me.ID, 'number');
    const err = await client.request({ method: 'GET', path: '/database/999999' }).catch((e) => e);
    assert.ok(isNotFoundError(err), `expected NotFoundError, got ${err && err.name}`);
    console.log('cjs consumer ok');
  } finally {
    await fake.close();
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
