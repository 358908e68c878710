/**
 * Issue 12: a reply shaped exactly like the v1 page's example must be parsed by the SDK in the
 * default (loose) mode. The examples are read out of spec/API.md programmatically: every
 * `#### \`GET …\`` section's fenced block after "Example reply". Each is served through nock and the
 * SDK method of that endpoint is called; none may be refused.
 */
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Copernica, degradedProperties } from '../../src/index.js';
import { endpointOf } from '../../src/core/schema.js';
import { CopernicaOAuth } from '../../src/oauth/index.js';
import { specPath } from '../helpers/spec.js';

const HOST = 'https://api.copernica.com';

interface PageExample {
  /** `GET /path/{param}` as the page heads it, plus `?return=…` for the variants of one page. */
  key: string;
  path: string;
  lang: string;
  body: string;
}

/** Every GET section of spec/API.md with an example reply; jsonc blocks with `// ?q` lines give one example per variant. */
function pageExamples(): PageExample[] {
  const md = readFileSync(specPath('API.md'), 'utf8');
  const out: PageExample[] = [];
  for (const section of md.split(/^#### /m).slice(1)) {
    const head = /^`GET ([^`]+)`/.exec(section);
    if (!head) continue;
    const own = section.split(/^#{2,3} /m)[0] ?? '';
    const ex = /Example reply[^\n]*\n+```(\w*)\n([\s\S]*?)```/.exec(own);
    if (!ex) continue;
    const path = head[1]!;
    const lang = ex[1] ?? '';
    const text = ex[2]!;
    if (lang === 'jsonc') {
      let variant = '';
      let chunk: string[] = [];
      const flush = () => {
        if (chunk.join('').trim()) out.push({ key: `GET ${path}${variant}`, path, lang: 'json', body: chunk.join('\n') });
        chunk = [];
      };
      for (const line of text.split('\n')) {
        const c = /^\s*\/\/\s*(\S*)/.exec(line);
        if (c) {
          flush();
          variant = c[1] ?? '';
        } else chunk.push(line);
      }
      flush();
    } else out.push({ key: `GET ${path}`, path, lang, body: text });
  }
  return out;
}

const drain = async (s: Readable): Promise<string> => {
  let t = '';
  for await (const c of s) t += String(c);
  return t;
};

type Call = (c: Copernica) => Promise<unknown>;
const page = (r: PromiseLike<{ data: unknown[] }>) => Promise.resolve(r).then((p) => p.data);

/** The SDK call of each page. A page that gains an example without a call here fails the test. */
const CALLS: Record<string, Call> = {
  'GET /identity': (c) => c.identity.get(),
  'GET /databases': (c) => page(c.databases.list()),
  'GET /database/{databaseId}': (c) => c.databases.get(12),
  'GET /database/{databaseId}/fields': (c) => page(c.databases.fields.list(12)),
  'GET /database/{databaseId}/interests': (c) => page(c.databases.interests.list(12)),
  'GET /database/{databaseId}/collections': (c) => page(c.collections.list(12)),
  'GET /collection/{collectionId}': (c) => c.collections.get(33),
  'GET /collection/{collectionId}/fields': (c) => page(c.collections.fields.list(33)),
  'GET /database/{databaseId}/unsubscribe': (c) => c.databases.unsubscribe.get(12),
  'GET /collection/{collectionId}/unsubscribe': (c) => c.collections.unsubscribe.get(33),
  'GET /database/{databaseId}/profiles': (c) => page(c.profiles.list(12)),
  'GET /database/{databaseId}/profileids': (c) => c.profiles.ids(12),
  'GET /profile/{profileId}': (c) => c.profiles.get(4567),
  'GET /profile/{profileId}/fields': (c) => c.profiles.fields.get(4567),
  'GET /profile/{profileId}/interests': (c) => c.profiles.interests.names(4567),
  'GET /profile/{profileId}/interests?return=ids': (c) => c.profiles.interests.ids(4567),
  'GET /profile/{profileId}/interests?return=objects': (c) => c.profiles.interests.list(4567),
  // The SDK only sends the page form with a collection (see ProfileSubprofiles.list); the index's
  // form without one answers the same shape, so its example is parsed through the same call.
  'GET /profile/{profileId}/subprofiles': (c) => page(c.subprofiles.listInProfile(4567, 33)),
  'GET /profile/{profileId}/subprofiles/{collectionId}': (c) => page(c.subprofiles.listInProfile(4567, 33)),
  'GET /collection/{collectionId}/subprofiles': (c) => page(c.subprofiles.list(33)),
  'GET /collection/{collectionId}/subprofileids': (c) => c.subprofiles.ids(33),
  'GET /subprofile/{subprofileId}': (c) => c.subprofiles.get(9001),
  'GET /subprofile/{subprofileId}/fields': (c) => c.subprofiles.fields.get(9001),
  'GET /database/{databaseId}/views': (c) => page(c.views.list(12)),
  'GET /view/{viewId}': (c) => c.views.get(55),
  'GET /view/{viewId}/profiles': (c) => page(c.profiles.listInView(55)),
  'GET /view/{viewId}/profileids': (c) => c.profiles.idsInView(55),
  'GET /view/{viewId}/views': (c) => page(c.views.listInView(55)),
  'GET /view/{viewId}/rules': (c) => page(c.rules.list(55)),
  'GET /view/{viewId}/rule/{ruleId}': (c) => c.rules.getInView(55, 70),
  'GET /rule/{ruleId}': (c) => c.rules.get(70),
  'GET /rule/{ruleId}/conditions': (c) => c.rules.conditions.list(70),
  'GET /collection/{collectionId}/miniviews': (c) => page(c.miniviews.list(33)),
  'GET /miniview/{miniviewId}': (c) => c.miniviews.get(81),
  'GET /miniview/{miniviewId}/subprofiles': (c) => page(c.subprofiles.listInMiniview(81)),
  'GET /miniview/{miniviewId}/subprofileids': (c) => c.subprofiles.idsInMiniview(81),
  'GET /miniview/{miniviewId}/rules': (c) => page(c.minirules.list(81)),
  'GET /miniview/{miniviewId}/rule/{miniruleId}': (c) => c.minirules.getInMiniview(81, 91, { pathForm: 'index' }),
  'GET /miniview/{miniviewId}/minirule/{miniruleId}': (c) => c.minirules.getInMiniview(81, 91),
  'GET /minirule/{miniruleId}': (c) => c.minirules.get(91),
  'GET /minirule/{miniruleId}/conditions': (c) => c.minirules.conditions.list(91),
  'GET /profile/{profileId}/events': (c) => c.events.byProfile(4567).toArray({ limit: 100 }),
  'GET /subprofile/{subprofileId}/events': (c) => c.events.bySubprofile(9001).toArray({ limit: 100 }),
  'GET /email/{email}/events': (c) => c.events.byEmail('john@example.com').toArray({ limit: 100 }),
  'GET /message/{messageId}/events': (c) => c.events.byMessage('dkJDF343Df').toArray({ limit: 100 }),
  'GET /template/{templateId}/events': (c) => c.events.byTemplate(877).toArray({ limit: 100 }),
  'GET /old/template/{templateId}/events': (c) => c.events.byOldTemplate(12).toArray({ limit: 100 }),
  'GET /old/message/{messageId}/events': (c) => c.events.byOldMessage('Q7fJ2xkP0a').toArray({ limit: 100 }),
  'GET /old/document/{documentId}/events': (c) => c.events.byOldDocument(2201).toArray({ limit: 100 }),
  'GET /tags/{tags}/events': (c) => c.events.byTags(['summer', 'sale']).toArray({ limit: 100 }),
  'GET /emailingdocument/{documentId}': (c) => c.campaigns.documents.get(2201),
  'GET /message/{messageId}/body': (c) => c.campaigns.messages.body('Q7fJ2xkP0a'),
  'GET /message/{messageId}/body/{type}': (c) => c.campaigns.messages.body('Q7fJ2xkP0a', 'text'),
  'GET /message/{messageId}': (c) => c.campaigns.messages.get('Q7fJ2xkP0a'),
  'GET /old/message/{messageId}': (c) => c.campaigns.publisher.messages.get('Q7fJ2xkP0a'),
  'GET /logfiles': (c) => c.logfiles.dates(),
  'GET /logfiles/{date}': (c) => c.logfiles.names('2017-02-12'),
  'GET /logfiles/{filename}': async (c) => drain(await c.logfiles.download('cdm-attempts.2017-02-12.log')),
  'GET /logfiles/{filename}/header': (c) => c.logfiles.header('cdm-attempts.2017-02-12.log'),
  'GET /logfiles/{filename}/json': (c) => c.logfiles.records('cdm-attempts.2017-02-12.log', { format: 'json' }).toArray({ limit: 100 }),
  'GET /logfiles/{filename}/xml': async (c) => drain(await c.logfiles.download('cdm-attempts.2017-02-12.log', { format: 'xml' })),
  'GET /impressions': (c) => page(c.impressions.list()),
  'GET /datarequest/{datarequestId}/status': (c) => c.dataRequests.status(5),
  'GET /datarequest/{datarequestId}/data': (c) => c.dataRequests.data(5),
  'GET /datarequest/{datarequestId}': (c) => c.dataRequests.get(5),
};

const examples = pageExamples();
const warnings: { message: string; meta?: Record<string, unknown> }[] = [];
const logger = { warn: (message: string, meta?: Record<string, unknown>) => warnings.push({ message, meta }) };

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

/**
 * Calls whose request path differs from the page's: the SDK sends `/profile/{id}/subprofiles/{collectionId}`
 * for the index's form without a collection (ProfileSubprofiles.list); the reply has the same shape.
 */
const SENT_PATH: Record<string, string> = { 'GET /profile/{profileId}/subprofiles': '/profile/{profileId}/subprofiles/{collectionId}' };

/** `/profile/{profileId}/events` → a pattern of the request path the page describes. */
const pattern = (template: string) => new RegExp(`^/v1${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/?]+')}(\\?|$)`);

/** Serves the example for the page's path only (JSON examples as JSON, the rest as text). */
function serve(ex: PageExample) {
  const json = ex.lang === 'json';
  const re = pattern(SENT_PATH[ex.key] ?? ex.path);
  const served = { hits: 0 };
  nock(HOST)
    .get((uri) => re.test(uri))
    .times(50)
    .reply(
      200,
      () => {
        served.hits++;
        return ex.body;
      },
      { 'Content-Type': json ? 'application/json' : 'text/plain' },
    );
  return served;
}

describe('page-shaped replies (spec/API.md examples)', () => {
  it('finds the examples and a call for each', () => {
    expect(examples.length).toBeGreaterThanOrEqual(60);
    const withoutCall = examples.map((e) => e.key).filter((k) => k !== 'GET /token' && !(k in CALLS));
    expect(withoutCall).toEqual([]);
  });

  it('the SDK parses every page-shaped reply in the default mode', async () => {
    const refused: string[] = [];
    let parsed = 0;
    for (const ex of examples) {
      if (ex.key === 'GET /token') continue;
      const served = serve(ex);
      try {
        const c = new Copernica({ accessToken: 'tok', maxRetries: 0, logger });
        const value = await CALLS[ex.key]!(c);
        expect(value).toBeDefined();
        expect(served.hits).toBeGreaterThan(0);
        parsed++;
      } catch (error) {
        refused.push(`${ex.key}: ${(error as Error).message}`);
      }
      nock.cleanAll();
    }
    // The OAuth token page: parsed by the OAuth helper's own model.
    const token = examples.find((e) => e.key === 'GET /token');
    if (token) {
      serve(token);
      try {
        const oauth = new CopernicaOAuth({ clientId: 'key', clientSecret: 'shh-secret', redirectUri: 'https://app.example/cb' });
        const r = await oauth.exchangeCode('the-code');
        expect(r.accessToken).toBe((JSON.parse(token.body) as { access_token: string }).access_token); // the token the page shows
        parsed++;
      } catch (error) {
        refused.push(`GET /token: ${(error as Error).message}`);
      }
    }
    console.log(`${parsed}/${examples.length} page-shaped replies parsed`);
    expect(refused).toEqual([]);
    expect(parsed).toBe(examples.length);
    // Parsed cleanly: the page's own shape degrades nothing.
    expect(warnings.map((w) => w.meta)).toEqual([]);
  });

  it('a page-shaped reply with one oddly typed property degrades that property, warned to the logger once', async () => {
    const ex = examples.find((e) => e.key === 'GET /databases')!;
    const body = JSON.parse(ex.body) as { data: Record<string, unknown>[] };
    for (const db of body.data) db.created = 1488357733; // a Unix time instead of the documented string
    const seen: { message: string; meta?: Record<string, unknown> }[] = [];
    const c = new Copernica({
      accessToken: 'tok',
      maxRetries: 0,
      logger: { warn: (message: string, meta?: Record<string, unknown>) => seen.push({ message, meta }) },
    });
    nock(HOST)
      .get(/^\/v1\/databases\?/)
      .times(3)
      .reply(200, body);
    for (let i = 0; i < 3; i++) {
      const [db] = (await c.databases.list()).data;
      expect(db).toMatchObject({ ID: 12, name: 'customers', description: 'All customers', archived: false });
      expect(db!.created).toBeUndefined();
      expect(degradedProperties(db!)).toEqual({ created: 1488357733 });
    }
    expect(seen).toHaveLength(1);
    expect(seen[0]!.meta).toEqual({
      endpoint: 'GET /databases',
      property: 'created',
      expected: 'a timestamp string',
      received: 'an integer',
    });
    expect(seen[0]!.message).not.toContain('1488357733');
  });
});

describe('refused replies name the property, the expectation and the type that arrived (never the value)', () => {
  const refusal = async (reply: unknown, call: Call, strict = false): Promise<string> => {
    nock(HOST)
      .get(/^\/v1\//)
      .reply(200, reply as nock.Body);
    const c = new Copernica({ accessToken: 'tok', maxRetries: 0, strict });
    const error = await call(c).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.name).toBe('InvalidResponseError');
    return error!.message;
  };

  it('a union (envelope or bare list) is opened up instead of reading "reply: Invalid input"', async () => {
    const message = await refusal(
      { ID: '12', name: 'customers', fields: { start: 0, data: [{ ID: 'private-value', name: 'email' }] } },
      (c) => c.databases.get(12),
      true,
    );
    expect(message).toContain('reply.fields.data.0.ID: expected an ID (integer or digits), got a string');
    expect(message).not.toContain('Invalid input');
    expect(message).not.toContain('private-value');
  });

  it('a missing identifying property is refused in the default mode too', async () => {
    const message = await refusal({ name: 'acme', company: 'Acme' }, (c) => c.identity.get());
    expect(message).toContain('reply.ID: expected an ID (integer or digits), got nothing (missing)');
  });

  it('a record (profile) names the property and the type that arrived', async () => {
    const message = await refusal(
      { start: 0, limit: 100, count: 1, data: [{ ID: '1', database: '12', secret: 'a1b2', created: 1488357733, fields: {} }] },
      (c) => page(c.profiles.list(12)),
      true, // strict: the default mode degrades it (test/resources/record-replies.test.ts)
    );
    expect(message).toContain('reply.data.0.created: expected a timestamp string, got an integer');
    expect(message).not.toContain('1488357733');
  });
});

describe('the endpoint a degraded-property warning is counted per', () => {
  it('replaces IDs, names and addresses with {id} and drops the query', () => {
    expect(endpointOf('GET https://api.copernica.com/v1/database/12/profiles?start=0&access_token=***')).toBe(
      'GET /database/{id}/profiles',
    );
    expect(endpointOf('GET https://api.copernica.com/v1/database/customers/fields')).toBe('GET /database/{id}/fields');
    expect(endpointOf('GET https://api.copernica.com/v1/email/john%40example.com/events?start=2024-01-01')).toBe('GET /email/{id}/events');
    expect(endpointOf('GET https://api.copernica.com/v1/old/message/Q7fJ2xkP0a/events')).toBe('GET /old/message/{id}/events');
    expect(endpointOf('GET https://api.copernica.com/v1/miniview/81/minirule/91')).toBe('GET /miniview/{id}/minirule/{id}');
    expect(endpointOf('GET https://api.copernica.com/v1/logfiles/cdm-click.2017-02-12.log/json')).toBe('GET /logfiles/{id}/json');
    expect(endpointOf('GET https://api.copernica.com/v1/databases')).toBe('GET /databases');
  });
});
