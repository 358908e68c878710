// A TypeScript consumer: the public types must resolve and be usable.
import { Copernica, CopernicaOAuth, isAPIError, type ClientOptions, type Identity, type Page, type RequestOptions } from 'copernica-rest';
import { generateState, type TokenResult } from 'copernica-rest/oauth';
import { createFakeCopernica } from 'copernica-rest/testing';

const options: ClientOptions = { accessToken: 'x'.repeat(32), timeout: 5_000 };
const perCall: RequestOptions = { maxRetries: 0 };
const oauth = new CopernicaOAuth({ clientId: 'id', clientSecret: 'secret-secret', redirectUri: 'https://app.example/cb' });
const state: string = generateState();
const exchange: (code: string) => Promise<TokenResult> = (code) => oauth.exchangeCode(code);
void options;
void perCall;
void state;
void exchange;
const pageCheck = (p: Page<Identity>): number => p.count + (p.total ?? 0);
void pageCheck;

const fake = await createFakeCopernica({ seed: 1 });
try {
  const client = new Copernica({ accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl });
  const me: Identity = await client.identity.get();
  const id: number = me.ID;
  try {
    await client.request({ method: 'GET', path: '/database/999999' });
  } catch (error) {
    if (!isAPIError(error)) throw error;
    const status: number = error.status;
    void status;
  }
  console.log(`ts consumer ok (${id > 0})`);
} finally {
  await fake.close();
}
