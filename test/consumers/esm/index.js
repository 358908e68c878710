// An ES module consumer: import of the root, the oauth subpath and the testing subpath.
import assert from 'node:assert/strict';
import { Copernica, CopernicaOAuth, isNotFoundError } from 'copernica-rest';
import { CopernicaOAuth as SubOAuth } from 'copernica-rest/oauth';
import { createFakeCopernica } from 'copernica-rest/testing';

assert.equal(SubOAuth, CopernicaOAuth);
const fake = await createFakeCopernica({ seed: 1 });
try {
  const client = new Copernica({ accessToken: fake.accounts[0].token, baseUrl: fake.apiUrl });
  const me = await client.identity.get();
  assert.equal(typeof me.ID, 'number');
  const err = await client.request({ method: 'GET', path: '/database/999999' }).catch((e) => e);
  assert.ok(isNotFoundError(err));
  console.log('esm consumer ok');
} finally {
  await fake.close();
}
