/**
 * Rules and rule conditions: the wire format (nock), the condition catalogue (every type), reply
 * normalisation (ID/id, inverted/inversed, type case, enum spellings), and the fake server.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Copernica } from '../../src/client.js';
import { InvalidResponseError, ValidationError } from '../../src/core/errors.js';
import type { ConditionInput } from '../../src/resources/rules.js';
import { createFakeCopernica, type FakeCopernica } from '../../src/testing/index.js';

const BASE = 'https://api.copernica.com';
const TOKEN = 'tok-456';
const Q = `access_token=${TOKEN}`;

/** One expected request: exact path and query (token last), recording the JSON body. */
function expectCall(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  uri: string,
  status: number,
  reply?: nock.Body,
  headers?: Record<string, string>,
): unknown[] {
  const bodies: unknown[] = [];
  const scope = nock(BASE);
  const bodyMatch = (body: unknown) => (bodies.push(body), true);
  (method === 'GET' || method === 'DELETE'
    ? scope.intercept((u) => u === uri, method)
    : scope.intercept((u) => u === uri, method, bodyMatch)
  ).reply(status, reply ?? '', headers);
  return bodies;
}

/** The example body of every type in spec/API.md §3.15 (Sms in the catalogue spelling). */
const CATALOGUE: ConditionInput[] = [
  { type: 'Change', 'change-type': 'any' },
  { type: 'Date', field: 'birthdate', 'compare-mode': 'ignoreyear', 'before-time': '2018-01-01 00:00:00' },
  { type: 'DoubleField', 'match-mode': 'match_unique_profiles', fields: ['firstname', 'lastname'] },
  {
    type: 'Email',
    'required-result': 'clickonurl',
    'clicked-url': 'https://www.example.com/offer',
    'match-mode': 'match_profiles_that_received_something',
  },
  { type: 'Export', 'after-time': '2017-06-01 00:00:00', 'include-never-exported-profiles': false },
  { type: 'Fax', 'after-time': '2017-01-01 00:00:00', number: 10, operator: '>', 'match-mode': 'match_profiles_that_received_something' },
  { type: 'Field', field: 'has_children', comparison: 'equals', value: 'yes' },
  { type: 'Interest', 'match-mode': 'match_profiles_with_interest', interest: 'tennis' },
  { type: 'LastContact', 'after-time': '2016-12-11 00:34:56', 'min-closed': 3, contains: 'Bob' },
  { type: 'MiniView', 'mini-view': 81, 'max-subprofiles': 14 },
  { type: 'Part', begin: 54, length: 20, fields: 'dog_owner' },
  { type: 'ReferView', 'refer-view': 56, 'check-type': 'no' },
  { type: 'Sms', document: 'document x', 'match-mode': 'match_profiles_that_received_document' },
  { type: 'Survey', 'survey-name': 'survey x', submitter: 'none' },
  { type: 'ToDo', 'match-type': 'match_intelligent', contains: 'document name' },
];

describe('rules: wire format', () => {
  const client = new Copernica({ accessToken: TOKEN, maxRetries: 0 });
  /** The body a condition create sends. */
  const sent = async (call: () => Promise<unknown>) => {
    const bodies = expectCall('POST', `/v1/rule/70/conditions?${Q}`, 201, '', { 'X-Created': '901' });
    await call();
    return bodies;
  };
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  afterEach(() => nock.cleanAll());

  it('list: id/inversed become ID/inverted; conditions are normalised', async () => {
    expectCall('GET', `/v1/view/55/rules?start=0&limit=100&total=true&${Q}`, 200, {
      start: 0,
      limit: 100,
      count: 1,
      total: 1,
      data: [
        {
          id: '70',
          name: 'country-is-nl',
          view: '55',
          disabled: '0',
          inversed: '1',
          conditions: [
            {
              ID: '501',
              type: 'field',
              rule: '70',
              field: 'country',
              comparison: 'not_equals',
              value: 'netherlands',
              'numeric-comparison': '0',
            },
            { id: '502', type: 'INTEREST', rule: '70', 'match-mode': 'match_profiles_with_interestgroup', 'interest-group': 'sport' },
            {
              id: '503',
              type: 'SMS',
              rule: '70',
              'match-mode': 'match_profiles_that_received_nothing',
              'required-destination': '"anything',
            },
          ],
        },
      ],
    });
    const page = await client.rules.list(55);
    expect(nock.isDone()).toBe(true);
    expect(page.data).toEqual([
      {
        ID: 70,
        name: 'country-is-nl',
        description: '',
        view: 55,
        disabled: false,
        inverted: true,
        conditions: [
          {
            ID: 501,
            type: 'Field',
            rule: 70,
            field: 'country',
            comparison: 'not equals',
            value: 'netherlands',
            'numeric-comparison': false,
          },
          { ID: 502, type: 'Interest', rule: 70, 'match-mode': 'match_profiles_with_interest_group', 'interest-group': 'sport' },
          { ID: 503, type: 'Sms', rule: 70, 'match-mode': 'match_profiles_that_received_nothing', 'required-destination': 'anything' },
        ],
      },
    ]);
    const c = page.data[0]!.conditions![0]!;
    if (c.type === 'Field') expect(c.comparison).toBe('not equals'); // narrows on type
  });

  it('reads the pages misspellings: required-url, match_type, string field lists, yes/no flags, zero dates', async () => {
    expectCall('GET', `/v1/rule/70/conditions?${Q}`, 200, [
      {
        id: '1',
        type: 'email',
        rule: '70',
        'required-url': 'https://x.example/',
        'required-result': 'clickonurl',
        'after-time': '0000-00-00 00:00:00',
        number: '3',
      },
      { id: '2', type: 'todo', rule: '70', match_type: 'match_exact', 'contact-type': 'false', user: '12' },
      { id: '3', type: 'doublefield', rule: '70', fields: '[first_name, last_name]', 'match-mode': 'match_non_unique_profiles' },
      { id: '4', type: 'referview', rule: '70', 'refer-view': '56', 'check-type': true },
      { id: '5', type: 'Part', rule: '70', begin: '-10', length: '5%' },
    ]);
    const list = (await client.rules.conditions.list(70)).data;
    expect(list).toEqual([
      {
        ID: 1,
        type: 'Email',
        rule: 70,
        'clicked-url': 'https://x.example/',
        'required-result': 'clickonurl',
        'after-time': null,
        number: 3,
      },
      { ID: 2, type: 'ToDo', rule: 70, 'match-type': 'match_exact', 'contact-type': false, user: 12 },
      { ID: 3, type: 'DoubleField', rule: 70, fields: ['first_name', 'last_name'], 'match-mode': 'match_non_unique_profiles' },
      { ID: 4, type: 'ReferView', rule: 70, 'refer-view': 56, 'check-type': 'yes' },
      { ID: 5, type: 'Part', rule: 70, begin: -10, length: '5%' },
    ]);
    expect(nock.isDone()).toBe(true);
  });

  it('an unknown condition type is an InvalidResponseError; an unknown enum value degrades that property (strict: refused)', async () => {
    expectCall('GET', `/v1/rule/70/conditions?${Q}`, 200, [{ id: '1', type: 'Telepathy', rule: '70' }]);
    await expect(client.rules.conditions.list(70)).rejects.toBeInstanceOf(InvalidResponseError);
    expectCall('GET', `/v1/rule/70/conditions?${Q}`, 200, [{ id: '1', type: 'Field', comparison: 'roughly', field: 'country' }]);
    const [condition] = (await client.rules.conditions.list(70)).data;
    expect(condition).toMatchObject({ ID: 1, type: 'Field', field: 'country' });
    expect((condition as { comparison?: unknown }).comparison).toBeUndefined();
    const strict = new Copernica({ accessToken: TOKEN, maxRetries: 0, strict: true });
    expectCall('GET', `/v1/rule/70/conditions?${Q}`, 200, [{ id: '1', type: 'Field', comparison: 'roughly' }]);
    await expect(strict.rules.conditions.list(70)).rejects.toThrow(/reply\.0\.comparison: expected one of .*got a string/);
    expect(nock.isDone()).toBe(true);
  });

  it('get, get by name, getInView (ID/inverted spelling)', async () => {
    expectCall('GET', `/v1/rule/70?${Q}`, 200, {
      id: '70',
      description: 'Only Dutch',
      name: 'nl',
      view: '55',
      disabled: false,
      inversed: false,
      conditions: [],
    });
    expect(await client.rules.get(70)).toEqual({
      ID: 70,
      description: 'Only Dutch',
      name: 'nl',
      view: 55,
      disabled: false,
      inverted: false,
      conditions: [],
    });
    expectCall('GET', `/v1/rule/country%20is%20nl?${Q}`, 200, {
      id: '70',
      name: 'country is nl',
      view: '55',
      disabled: false,
      inversed: false,
      conditions: [],
    });
    expect((await client.rules.get('country is nl')).ID).toBe(70);
    expectCall('GET', `/v1/view/55/rule/70?${Q}`, 200, {
      ID: '70',
      name: 'nl',
      view: '55',
      disabled: true,
      inverted: true,
      conditions: [],
    });
    expect(await client.rules.getInView(55, 70)).toMatchObject({ ID: 70, disabled: true, inverted: true });
    expect(nock.isDone()).toBe(true);
  });

  it('create sends inverted (POST page spelling) and the conditions in catalogue spelling', async () => {
    const bodies = expectCall('POST', `/v1/view/55/rules?${Q}`, 201, '', { 'X-Created': '71' });
    const res = await client.rules.create(55, {
      name: 'nl',
      inverted: true,
      disabled: false,
      conditions: [
        { type: 'field' as 'Field', field: 'country', comparison: 'equals', value: 'netherlands' },
        { type: 'Field', field: 'age', comparison: 'more', value: 18, 'numeric-comparison': true },
      ],
    });
    expect(res).toMatchObject({ status: 201, id: 71 });
    expect(bodies).toEqual([
      {
        name: 'nl',
        inverted: true,
        disabled: false,
        conditions: [
          { type: 'Field', field: 'country', comparison: 'equals', value: 'netherlands' },
          { type: 'Field', field: 'age', comparison: 'more', value: '18', 'numeric-comparison': true },
        ],
      },
    ]);
  });

  it('update sends inversed (PUT rule page spelling); delete reports 200/204', async () => {
    const bodies = expectCall('PUT', `/v1/rule/70?${Q}`, 200, '', { 'X-location': 'https://api.copernica.com/v1/rule/70' });
    expect((await client.rules.update(70, { inverted: false, description: 'x' })).id).toBe(70);
    expect(bodies).toEqual([{ inversed: false, description: 'x' }]);
    expectCall('DELETE', `/v1/rule/70?${Q}`, 200, '', { 'X-deleted': 'rule 70' });
    expect(await client.rules.delete(70)).toEqual({ removed: true, status: 200, deleted: 'rule 70' });
    expectCall('DELETE', `/v1/rule/70?${Q}`, 204);
    expect((await client.rules.delete(70)).removed).toBe(false);
    expect(nock.isDone()).toBe(true);
  });

  it.each(CATALOGUE.map((c) => [c.type, c] as const))('conditions.create sends the %s example body unchanged', async (_type, condition) => {
    const bodies = expectCall('POST', `/v1/rule/70/conditions?${Q}`, 201, '', { 'X-Created': '900' });
    expect((await client.rules.conditions.create(70, condition)).id).toBe(900);
    expect(bodies).toEqual([condition]);
  });

  it('conditions.create normalises type case and enum separators, and converts flags', async () => {
    const bodies: unknown[] = [];
    bodies.push(
      ...(await sent(() =>
        client.rules.conditions.create(70, { type: 'SMS', operator: '<>', 'required-destination': 'Any-Thing' } as never),
      )),
    );
    bodies.push(...(await sent(() => client.rules.conditions.create(70, { type: 'ReferView', 'refer-view': '56', 'check-type': true }))));
    bodies.push(
      ...(await sent(() =>
        client.rules.conditions.create(70, {
          type: 'LastContact',
          'contact-type': false,
          user: 'bob',
          'match-mode': 'match_not_contacted_profiles',
        }),
      )),
    );
    expect(nock.isDone()).toBe(true);
    expect(bodies).toEqual([
      { type: 'Sms', operator: '<>', 'required-destination': 'anything' },
      { type: 'ReferView', 'refer-view': 56, 'check-type': 'yes' },
      { type: 'LastContact', 'contact-type': 'false', user: 'bob', 'match-mode': 'match_not_contacted_profiles' },
    ]);
  });

  it('conditions: bad bodies are ValidationErrors before any request', async () => {
    const bad: unknown[] = [
      { field: 'country' }, // no type
      { type: 'Telepathy' },
      { type: 'Field', comparison: 'roughly' },
      { type: 'Field', colour: 'red' }, // unknown property: never silently dropped
      { type: 'Date', 'before-time': '1 January 2018' },
      { type: 'Interest', 'match-mode': 'match_profiles_with_hobby' },
      { type: 'MiniView', 'mini-view': 0 },
      { type: 'Part', begin: 'ten' },
      { type: 'DoubleField', fields: [] },
      { type: 'Export', 'include-never-exported-profiles': 'sometimes' },
    ];
    for (const body of bad) {
      await expect(client.rules.conditions.create(70, body as ConditionInput), JSON.stringify(body)).rejects.toBeInstanceOf(
        ValidationError,
      );
    }
    await expect(client.rules.create(55, { name: 'x', conditions: [{ type: 'Field', colour: 'red' } as never] })).rejects.toThrow(
      /conditions\.0/,
    );
    await expect(client.rules.create(55, { name: '', conditions: [] })).rejects.toBeInstanceOf(ValidationError);
    await expect(client.rules.create(55, { name: 'x', inversed: true } as never)).rejects.toThrow(/inversed/);
    await expect(client.rules.update(70, {})).rejects.toThrow(/at least one/);
    await expect(client.rules.conditions.update(70, 'Nonsense' as never, { type: 'Field' })).rejects.toBeInstanceOf(ValidationError);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('conditions.update addresses the condition by type (catalogue spelling) or by ID, with PUT', async () => {
    const b1 = expectCall('PUT', `/v1/rule/70/conditions/Sms?${Q}`, 200, '', {
      'X-location': 'https://api.copernica.com/v1/rule/70/conditions/Sms',
    });
    await client.rules.conditions.update(70, 'sms' as 'Sms', { type: 'Sms', number: 2, operator: '<' });
    const b2 = expectCall('PUT', `/v1/rule/70/conditions/501?${Q}`, 200);
    await client.rules.conditions.update(70, 501, { type: 'Field', value: 'germany' });
    expect(b1).toEqual([{ type: 'Sms', number: 2, operator: '<' }]);
    expect(b2).toEqual([{ type: 'Field', value: 'germany' }]);
    expect(nock.isDone()).toBe(true);
  });
});

// ---------------------------------------------------------------- integration (fake server)

describe('rules and conditions: against the fake server', () => {
  let fake: FakeCopernica;
  let client: Copernica;
  let viewId: number;

  beforeAll(async () => {
    nock.enableNetConnect('127.0.0.1');
    fake = await createFakeCopernica({ seed: 2, profiles: 40 });
    client = new Copernica({ accessToken: fake.accounts[0]!.token, baseUrl: fake.apiUrl, maxRetries: 0 });
    const dbs = await client.request<{ data: { ID: string; name: string }[] }>({ method: 'GET', path: '/databases' });
    const databaseId = Number(dbs.data.data.find((d) => d.name === 'customers')!.ID);
    viewId = (await client.views.create(databaseId, { name: 'rules-it' })).id!;
  });
  afterAll(async () => {
    await fake.close();
    nock.disableNetConnect();
  });

  it('create, read in three ways, update, delete', async () => {
    const { id: ruleId } = await client.rules.create(viewId, {
      name: 'nl',
      inverted: true,
      conditions: [{ type: 'Field', field: 'country', comparison: 'equals', value: 'netherlands' }],
    });
    expect(ruleId).toBeTypeOf('number');
    const byId = await client.rules.get(ruleId!);
    const inView = await client.rules.getInView(viewId, ruleId!);
    const byName = await client.rules.get('nl');
    for (const r of [byId, inView, byName]) {
      expect(r).toMatchObject({ ID: ruleId, name: 'nl', view: viewId, inverted: true, disabled: false });
      expect(r.conditions).toEqual([
        expect.objectContaining({ type: 'Field', field: 'country', comparison: 'equals', value: 'netherlands', rule: ruleId }),
      ]);
    }

    const res = await client.rules.update(ruleId!, { inverted: false, disabled: true, description: 'off' });
    expect([200, 303]).toContain(res.status);
    expect(await client.rules.get(ruleId!)).toMatchObject({ inverted: false, disabled: true, description: 'off' });
    expect(fake.requests.filter((r) => r.route === '/rule/{ruleId}' && r.method === 'PUT').at(-1)?.body).toEqual({
      inversed: false,
      disabled: true,
      description: 'off',
    });

    expect(await client.rules.delete(ruleId!)).toMatchObject({ removed: true, status: 200 });
    expect(await client.rules.delete(ruleId!)).toMatchObject({ removed: false, status: 204 });
    expect((await client.rules.list(viewId)).data.map((r) => r.ID)).not.toContain(ruleId);
  });

  it('conditions: create every catalogue type, list them back, update by type and by ID', async () => {
    const { id: ruleId } = await client.rules.create(viewId, { name: 'catalogue' });
    for (const c of CATALOGUE) {
      const res = await client.rules.conditions.create(ruleId!, c);
      expect(res.status).toBe(201);
      expect(res.id).toBeTypeOf('number');
    }
    const listed = (await client.rules.conditions.list(ruleId!)).data;
    expect(listed.map((c) => c.type)).toEqual(CATALOGUE.map((c) => c.type));
    for (const [i, c] of CATALOGUE.entries()) expect(listed[i]).toMatchObject({ ...c, rule: ruleId });

    // by type (any case in, catalogue spelling out)
    await client.rules.conditions.update(ruleId!, 'Field', { type: 'Field', comparison: 'not equals', value: 'no' });
    // by ID
    const survey = listed.find((c) => c.type === 'Survey')!;
    await client.rules.conditions.update(ruleId!, survey.ID!, { type: 'Survey', submitter: 'profile' });
    const after = (await client.rules.conditions.list(ruleId!)).data;
    expect(after.find((c) => c.type === 'Field')).toMatchObject({ field: 'has_children', comparison: 'not equals', value: 'no' });
    expect(after.find((c) => c.type === 'Survey')).toMatchObject({ 'survey-name': 'survey x', submitter: 'profile' });
    expect(fake.requests.some((r) => r.route === '/rule/{ruleId}/conditions/{type}' && r.path.endsWith('/conditions/Field'))).toBe(true);

    const rule = await client.rules.get(ruleId!);
    expect(rule.conditions).toHaveLength(CATALOGUE.length);
    // the fake's replies hold no property the SDK does not know: strict mode reads them too
    const strict = client.withOptions({ strict: true });
    expect(await strict.rules.get(ruleId!)).toEqual(rule);
    expect((await strict.rules.conditions.list(ruleId!)).data).toEqual(after);
    expect((await strict.rules.list(viewId)).data.length).toBeGreaterThan(0);
  });

  it('a missing rule is an API error with the server message', async () => {
    await expect(client.rules.get(999_999)).rejects.toMatchObject({ status: 400 });
  });
});

describe('rules: types', () => {
  it('condition bodies are a discriminated union checked by the compiler', () => {
    const ok: ConditionInput[] = [
      { type: 'Field', field: 'country', comparison: 'not equals', value: 'nl' },
      { type: 'Interest', 'match-mode': 'match_profiles_without_interestgroup', 'interest-group': 'sport' },
      { type: 'Sms', operator: '<>', number: 3 },
    ];
    // @ts-expect-error: not a comparison of the catalogue
    const badEnum: ConditionInput = { type: 'Field', comparison: 'roughly' };
    // @ts-expect-error: a Field property on a Survey condition
    const wrongType: ConditionInput = { type: 'Survey', field: 'country' };
    // @ts-expect-error: not a condition type
    const badType: ConditionInput = { type: 'Telepathy' };
    expect([ok.length, badEnum.type, wrongType.type, badType.type]).toEqual([3, 'Field', 'Survey', 'Telepathy']);
  });
});
