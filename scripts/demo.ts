/**
 * `npm run demo`: the SDK's main job, end to end, on the embedded fake Copernica server. No
 * account needed. It runs the OAuth flow as a browser would (fetch the consent page, submit its
 * forms), then lists databases, creates, filters, pages, updates and deletes profiles, and reads a
 * logfile, printing a short transcript.
 *
 * Runs the built package (`npm run demo` builds first) through the package's own name.
 */
import { Copernica, CopernicaOAuth, where, isAlreadyRemovedError, isLogfileName, type LogfileRowOf } from 'copernica-rest';
import { createFakeCopernica } from 'copernica-rest/testing';

const say = (line: string) => console.log(line);
const step = (title: string) => console.log(`\n== ${title}`);

/** Reads the hidden and named inputs of the first form in an HTML page. */
function formFields(html: string): URLSearchParams {
  const form = /<form[\s\S]*?<\/form>/i.exec(html)?.[0];
  if (!form) throw new Error('the page has no form');
  const fields = new URLSearchParams();
  for (const m of form.matchAll(/<input\b[^>]*>/gi)) {
    const tag = m[0];
    const name = /\bname="([^"]*)"/.exec(tag)?.[1];
    const value = /\bvalue="([^"]*)"/.exec(tag)?.[1] ?? '';
    const type = /\btype="([^"]*)"/.exec(tag)?.[1] ?? 'text';
    if (!name) continue;
    if (type === 'radio' && !/\bchecked\b/.test(tag)) continue;
    fields.set(
      name,
      value
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>'),
    );
  }
  return fields;
}

async function main(): Promise<void> {
  const fake = await createFakeCopernica({ seed: 1, profiles: 250 });
  try {
    say(`fake Copernica on ${fake.url} (API ${fake.apiUrl})`);

    step('OAuth: authorize, log in, approve, exchange the code');
    const oauth = new CopernicaOAuth({
      clientId: fake.app.clientId,
      clientSecret: fake.app.clientSecret,
      redirectUri: fake.app.redirectUri,
      authorizeBaseUrl: fake.url,
      apiBaseUrl: fake.apiUrl,
    });
    const { url, state } = oauth.createAuthorizationUrl();
    say(`authorize URL: ${url.replace(state, '<state>')}`);
    const user = fake.users[0]!;
    const loginPage = await (await fetch(url)).text();
    const login = formFields(loginPage);
    login.set('username', user.username);
    login.set('password', user.password);
    const consentPage = await (await fetch(new URL(`/en/authorize`, fake.url), { method: 'POST', body: login })).text();
    const consent = formFields(consentPage);
    consent.set('decision', 'approve');
    const redirect = await fetch(new URL(`/en/authorize`, fake.url), { method: 'POST', body: consent, redirect: 'manual' });
    const location = redirect.headers.get('location') ?? '';
    say(`Copernica redirected to ${fake.app.redirectUri}?state=…&code=…  (status ${redirect.status})`);
    const { code } = oauth.validateCallback(location, state);
    const { accessToken } = await oauth.exchangeCode(code);
    say(`state checked, code exchanged: got an access token (${accessToken.length} characters, not shown)`);

    const client = new Copernica({ accessToken, baseUrl: fake.apiUrl, appInfo: { name: 'copernica-rest-demo' } });
    const me = await client.identity.get();
    say(`identity: account ${me.ID} "${me.name}" (${me.company})`);

    step('Databases');
    const databases = await client.databases.list();
    for (const db of databases.data)
      say(`  #${db.ID} ${db.name} — ${db.fields?.length ?? '?'} fields, ${db.collections?.length ?? '?'} collections`);
    const db = databases.data[0]!;

    step('Create a profile');
    const created = await client.profiles.create(db.ID, { fields: { email: 'ada@example.com', firstname: 'Ada', country: 'netherlands' } });
    say(`  created profile ${created.id} (HTTP ${created.status})`);

    step('Filter and page');
    const page = await client.profiles.list(db.ID, { where: where.eq('country', 'netherlands'), limit: 5 });
    say(`  country == netherlands: ${page.total} profiles; first page holds ${page.count}: ${page.data.map((p) => p.ID).join(', ')}`);
    let seen = 0;
    for await (const _profile of client.profiles.list(db.ID, { where: where.like('email', '%@example.com'), limit: 100 })) seen++;
    say(`  iterated every profile with an @example.com address: ${seen}`);

    step('Update and delete');
    const updated = await client.profiles.update(created.id, { fields: { firstname: 'Ada L.' } });
    say(
      `  updated profile ${created.id} (HTTP ${updated.status}); firstname is now "${(await client.profiles.get(created.id)).fields?.firstname}"`,
    );
    const removed = await client.profiles.delete(created.id);
    say(`  deleted profile ${created.id}: removed=${removed.removed} (${removed.deleted})`);
    try {
      await client.profiles.delete(created.id);
    } catch (error) {
      if (!isAlreadyRemovedError(error)) throw error;
      say(`  deleting it again: ${error.name}: ${error.message}`);
    }

    step('A mailing and its click logfile');
    const sent = new Date(Date.now() - 3 * 86_400_000);
    const mailing = fake.sendMailing({ target: { database: db.ID }, subject: 'Demo newsletter', at: sent, rates: { click: 0.3 } });
    say(`  the fake sent message ${mailing.messageId} to ${mailing.recipients} profiles: ${mailing.counts.clicks} clicks`);
    const dates = await client.logfiles.dates();
    const day = sent.toISOString().slice(0, 10);
    const names = await client.logfiles.names(day);
    say(`  logfiles of ${day} (of ${dates.length} days): ${names.join(', ')}`);
    // isLogfileName narrows the name, so records() yields typed click rows (no cast).
    const clickFile = names.find((n) => isLogfileName(n, 'cdm-click'));
    if (clickFile) {
      let rows = 0;
      let first: LogfileRowOf<'cdm-click'> | undefined;
      for await (const row of client.logfiles.records(clickFile)) {
        first ??= row;
        rows++;
      }
      say(`  ${clickFile}: ${rows} typed rows; first: profile ${first?.profile} <${first?.email}> at ${first?.time}`);
    }
    say('\ndone: every call above went through the SDK over real HTTP to the fake server.');
  } finally {
    await fake.close();
  }
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  process.exit(1);
});
