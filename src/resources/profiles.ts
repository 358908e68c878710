/**
 * Profiles: the records of a database, their field values, interests and subprofiles
 * (spec/API.md §3.9, §3.10).
 */
import { z } from 'zod';
import { writeResultOf, type CreateResult, type DeleteResult, type WriteResult } from '../core/results.js';
import { APIResource } from '../core/resource.js';
import { checkRequestOptions, type RequestOptions } from '../core/config.js';
import type { PageRequest } from '../core/pagination.js';
import { path, param, toId, type Id } from '../core/path.js';
import { id, model, type Model } from '../core/schema.js';
import { checkInput } from '../core/input.js';
import { InvalidResponseError, ValidationError } from '../core/errors.js';
import { filterExpressions, parseFilterExpression, type FilterInput } from '../core/filter.js';
import {
  recordFieldInput,
  recordFieldValues,
  recordIdList,
  recordIdListOrEnvelope,
  recordList,
  recordModel,
  type RecordFieldInput,
  type RecordFieldValues,
  type FieldMap,
  type RecordFilterField,
  type RecordListParams,
} from './records.js';
import type { Core } from '../core/transport.js';
import { FieldSchema, type Field } from './fields.js';
import { fieldDefinitions } from './field-definitions.js';
import { failedChanges, profileChanges, type ProfileChanges, type ProfileChangesParams } from './changes.js';
import { Sync, type SubprofileFieldMaps, type SyncParams, type SyncRecord, type SyncRun } from './sync.js';

/** A profile (a record of a database). `F` types `fields`: `client.profiles.get<{ email: string }>(id)`.
 * Every property but `ID` reads `undefined` when the reply's value could not be used (default mode;
 * `degradedProperties(record)` has the raw value, docs/replies.md); strict mode refuses such a reply.
 */
export interface Profile<F extends FieldMap<F> = RecordFieldValues> {
  /** Profile ID (unique across the account's databases). */
  ID: number;
  /** ID of the database. */
  database?: number | undefined;
  /** The secret code (filter name `code`). */
  secret?: string | undefined;
  /** `YYYY-MM-DD hh:mm:ss` (Copernica's local time), or null for an empty date. */
  created?: string | null | undefined;
  /** `YYYY-MM-DD hh:mm:ss`, or null for an empty date. */
  modified?: string | null | undefined;
  /** Field values, as strings (Copernica sends every value as a string). */
  fields?: F | undefined;
  /** Names of the interests the profile has. */
  interests?: string[] | undefined;
  /** When the profile was removed (`YYYY-MM-DD hh:mm:ss`), null for a live profile. A removed profile reads back with empty fields. */
  removed?: string | null | undefined;
}

/** @internal The reply model of a profile; shared with view profile lists. */
export const ProfileModel: Model<Profile> = recordModel(['database'], { interests: true });

/** An interest of a profile, as `GET /profile/{id}/interests?return=objects` gives it. */
export interface ProfileInterest {
  /** Interest ID. */
  ID: number;
  /** Interest name. */
  name: string;
  /** Name of the interest's group; `''` when it has none (`undefined` when the reply's value was unusable, loose mode). */
  group?: string | undefined;
}

/** @internal The reply model of a profile's interest objects; test/types/schemas.test-d.ts proves its output equals {@link ProfileInterest}. */
export const ProfileInterestModel = model((obj) => obj({ ID: id, name: z.string(), group: z.string().default('') }));

/** Interests to write: an array of interest names, or name → true/false (switch on or off). */
export type ProfileInterestsInput = readonly string[] | Readonly<Record<string, boolean>>;

const interestsInput = z.union([
  z.array(z.string().min(1, 'interest names must not be empty')),
  z.record(z.string().min(1, 'interest names must not be empty'), z.boolean({ error: 'interest switches must be true or false' })),
]);

/** Parameters of `client.profiles.list()` and `client.profiles.listInView()`. */
export type ProfileListParams<F extends FieldMap<F> = RecordFieldValues> = RecordListParams<F>;

/** Check values against the database's field definitions before sending (see `validateFields`). */
export interface ProfileValidateParams {
  /**
   * Fetch the database's field definitions once (`GET /database/{id}/fields`, kept by the client
   * until a field of that database is created, changed or deleted through it, or until
   * `client.profiles.clearFieldCache()`) and refuse, before sending, unknown field names, select
   * values that are not among the choices, non-numeric integers and floats, and malformed dates.
   * Copernica itself drops unknown fields silently and blanks bad select values. Default false.
   */
  validateFields?: boolean;
}

/** Body of `client.profiles.create()`. */
export interface ProfileCreateParams<F extends FieldMap<F> = RecordFieldValues> extends ProfileValidateParams {
  /** Field values of the new profile. */
  fields: RecordFieldInput<F>;
  /** Interests to give it: sent as a second call (`POST /profile/{id}/interests`) after the create. */
  interests?: ProfileInterestsInput;
}

/** Body of `client.profiles.update()`. */
export interface ProfileUpdateParams<F extends FieldMap<F> = RecordFieldValues> extends ProfileValidateParams {
  /** Field values to change. */
  fields?: RecordFieldInput<F>;
  /** Interests to switch (names → on, or name → true/false). */
  interests?: ProfileInterestsInput;
  /** A new secret code. */
  secret?: string;
}

/** Parameters of `client.profiles.updateMany()`. */
export interface ProfileUpdateManyParams<F extends FieldMap<F> = RecordFieldValues> extends ProfileValidateParams {
  /** Which profiles to change. Required and non-empty: the SDK refuses a bulk update of everything. */
  where: FilterInput<RecordFilterField<F>>;
  /** Field values to set on every matching profile. */
  fields: RecordFieldInput<F>;
  /** Create a profile from `fields` when nothing matches (`create=true`). */
  create?: boolean;
  /** Let Copernica run the update in the background (`async=true`). */
  async?: boolean;
}

/** Parameters of `client.profiles.upsert()`. */
export interface ProfileUpsertParams<F extends FieldMap<F> = RecordFieldValues> extends ProfileValidateParams {
  /** Which profiles to change; when none matches, a profile is created (with the `==` values of the filter). */
  where: FilterInput<RecordFilterField<F>>;
  /** Field values to set on every matching profile, or of the new profile. */
  fields: RecordFieldInput<F>;
}

/**
 * Result of `client.profiles.updateMany()`. It has no count: Copernica's reply to a bulk update
 * does not say how many profiles matched or changed (and with `async: true` the update has not run
 * yet when the reply comes). To know beforehand, count with
 * `(await client.profiles.list(db, { where, limit: 1, total: true })).total`; another writer may
 * change the number in between.
 */
export interface ProfileUpdateManyResult {
  /** HTTP status: 200 (or 303) after an update, 201 or a 303 with `X-Created` when `create: true` made a profile. */
  status: number;
  /** True when nothing matched and `create: true` made a profile (its ID in `id`). */
  created: boolean;
  /** ID of the profile `create: true` made; `undefined` when none was made (a bulk update names no profile). */
  id: number | undefined;
  /** `X-location` (or `Location`) of the reply, secrets redacted; usually absent after a bulk update. */
  location: string | undefined;
}

/** Result of `client.profiles.upsert()`. */
export interface ProfileUpsertResult extends WriteResult {
  /** True when no profile matched and one was created (its ID in `id`). */
  created: boolean;
}

const validateOption = { validateFields: z.boolean().optional() };
const createSchema = z.strictObject({ fields: recordFieldInput, interests: interestsInput.optional(), ...validateOption });
const updateSchema = z.strictObject({
  fields: recordFieldInput.optional(),
  interests: interestsInput.optional(),
  secret: z.string().min(1, 'must not be empty').optional(),
  ...validateOption,
});
const updateManySchema = z.strictObject({
  where: z.unknown().optional(),
  fields: recordFieldInput,
  create: z.boolean().optional(),
  async: z.boolean().optional(),
  ...validateOption,
});
const upsertSchema = z.strictObject({ where: z.unknown().optional(), fields: recordFieldInput, ...validateOption });

const SPECIAL_FILTER_FIELDS = new Set(['id', 'code', 'modified']);

function isCalendarDate(y: string, m: string, d: string): boolean {
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
}

/** Problems of `values` against field definitions (names matched case-insensitively, as the server does). */
function fieldIssues(defs: readonly Field[], values: Record<string, string | number>, arg: string): string[] {
  const byName = new Map(defs.map((f) => [f.name.toLowerCase(), f]));
  const issues: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    const f = byName.get(name.toLowerCase());
    const where = `${arg}.${name}`;
    if (!f) {
      issues.push(`${where}: the database has no field ${JSON.stringify(name)} (Copernica would drop it silently)`);
      continue;
    }
    const text = String(value);
    switch (f.type) {
      case 'integer':
      case 'foreign_key':
        if (!/^-?\d+$/.test(text)) issues.push(`${where}: must be an integer (field type ${f.type})`);
        break;
      case 'float':
        if (!/^-?\d+(\.\d+)?$/.test(text)) issues.push(`${where}: must be a number (field type float)`);
        break;
      case 'date':
      case 'empty_date': {
        if (f.type === 'empty_date' && text === '') break;
        const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
        if (!m || !isCalendarDate(m[1]!, m[2]!, m[3]!)) issues.push(`${where}: must be a date YYYY-MM-DD (field type ${f.type})`);
        break;
      }
      case 'datetime':
      case 'empty_datetime': {
        if (f.type === 'empty_datetime' && text === '') break;
        const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
        if (!m || !isCalendarDate(m[1]!, m[2]!, m[3]!) || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) {
          issues.push(`${where}: must be a date and time YYYY-MM-DD hh:mm:ss (field type ${f.type})`);
        }
        break;
      }
      case 'select':
        if (text !== '' && !f.choices.includes(text))
          issues.push(`${where}: must be one of ${f.choices.map((c) => JSON.stringify(c)).join(', ')} (Copernica would store "")`);
        break;
      default:
        break;
    }
  }
  return issues;
}

/** Problems of the field names a filter compares: an unknown field makes a condition match every profile. */
function filterIssues(defs: readonly Field[], expressions: readonly string[], arg: string): string[] {
  const names = new Set(defs.map((f) => f.name.toLowerCase()));
  return expressions.flatMap((e, i) => {
    const field = parseFilterExpression(e)?.field ?? '';
    return SPECIAL_FILTER_FIELDS.has(field.toLowerCase()) || names.has(field.toLowerCase())
      ? []
      : [`${arg}[${i}]: the database has no field ${JSON.stringify(field)} (Copernica would ignore the condition and match every profile)`];
  });
}

/** Field values of one profile. */
export class ProfileFields extends APIResource {
  /**
   * The field values of a profile (`GET /profile/{profileId}/fields`).
   *
   * @example
   * const values = await client.profiles.fields.get<{ email: string }>(4567);
   * console.log(values.email);
   */
  async get<F extends FieldMap<F> = RecordFieldValues>(profileId: Id, options?: RequestOptions): Promise<F> {
    return this._json('GET', path`/profile/${param.id(profileId, 'profileId')}/fields`, recordFieldValues, { options }) as Promise<F>;
  }

  /**
   * Overwrites some field values of a profile (`PUT /profile/{profileId}/fields`). To check them
   * against the database's fields first, use `client.profiles.update(profileId, { fields, validateFields: true })`.
   *
   * @example
   * await client.profiles.fields.update(4567, { country: 'germany' });
   */
  async update<F extends FieldMap<F> = RecordFieldValues>(
    profileId: Id,
    fields: RecordFieldInput<F>,
    options?: RequestOptions,
  ): Promise<WriteResult> {
    const p = path`/profile/${param.id(profileId, 'profileId')}/fields`;
    const body = checkInput(recordFieldInput, fields, 'fields');
    return this._write('PUT', p, { body, options });
  }
}

/** Interests of one profile. */
export class ProfileInterests extends APIResource {
  /**
   * Names of the interests a profile has (`GET /profile/{profileId}/interests`).
   *
   * @example
   * const names = await client.profiles.interests.names(4567); // ['tennis', 'hockey']
   */
  async names(profileId: Id, options?: RequestOptions): Promise<string[]> {
    return this._json(
      'GET',
      path`/profile/${param.id(profileId, 'profileId')}/interests`,
      z.array(z.union([z.string(), z.number()]).transform(String)),
      { options },
    );
  }

  /**
   * IDs of the interests a profile has (`GET /profile/{profileId}/interests?return=ids`).
   *
   * @example
   * const ids = await client.profiles.interests.ids(4567); // [7, 8]
   */
  async ids(profileId: Id, options?: RequestOptions): Promise<number[]> {
    return this._json('GET', path`/profile/${param.id(profileId, 'profileId')}/interests`, recordIdList, {
      query: { return: 'ids' },
      options,
    });
  }

  /**
   * The interests a profile has, with ID, name and group (`GET /profile/{profileId}/interests?return=objects`).
   * A bare array: `await` gives one page holding all of them.
   *
   * @example
   * const { data } = await client.profiles.interests.list(4567); // [{ ID: 7, name: 'tennis', group: 'sport' }]
   */
  list(profileId: Id, options?: RequestOptions): PageRequest<ProfileInterest> {
    return this._pages(() =>
      this._list(path`/profile/${param.id(profileId, 'profileId')}/interests`, ProfileInterestModel, {
        query: { return: 'objects' },
        options,
        paged: false,
      }),
    );
  }

  /**
   * Adds interests (or switches some on and off) without touching the others
   * (`POST /profile/{profileId}/interests`).
   *
   * @example
   * await client.profiles.interests.add(4567, ['tennis']);
   * await client.profiles.interests.add(4567, { hockey: true, cooking: false });
   */
  async add(profileId: Id, interests: ProfileInterestsInput, options?: RequestOptions): Promise<WriteResult> {
    const p = path`/profile/${param.id(profileId, 'profileId')}/interests`;
    return this._write('POST', p, { body: checkInput(interestsInput, interests, 'interests'), options });
  }

  /**
   * Replaces the whole interest set (`PUT /profile/{profileId}/interests`): names given (or
   * switched on) become the new set.
   *
   * @example
   * await client.profiles.interests.replace(4567, ['travel']);
   */
  async replace(profileId: Id, interests: ProfileInterestsInput, options?: RequestOptions): Promise<WriteResult> {
    const p = path`/profile/${param.id(profileId, 'profileId')}/interests`;
    return this._write('PUT', p, { body: checkInput(interestsInput, interests, 'interests'), options });
  }
}

/** Profiles: `client.profiles`. */
export class Profiles extends APIResource {
  /** Field values of one profile. */
  readonly fields: ProfileFields;
  /** Interests of one profile. */
  readonly interests: ProfileInterests;
  #sync: Sync | undefined;

  /** @internal */
  constructor(core: Core) {
    super(core);
    this.fields = new ProfileFields(core);
    this.interests = new ProfileInterests(core);
  }

  /**
   * Lists or searches the profiles of a database (`GET /database/{databaseId}/profiles`). `await` it
   * for one page; `for await` it for every profile. `iterate: 'key'` pages by ID for exports that
   * run while the data changes.
   *
   * @example
   * import { where } from 'copernica-rest';
   * type MyFields = { email: string; country: string };
   * for await (const p of client.profiles.list<MyFields>(12, { where: where.eq('country', 'nl'), iterate: 'key' })) {
   *   console.log(p.ID, p.fields?.email);
   * }
   */
  list<F extends FieldMap<F> = RecordFieldValues>(
    databaseId: Id,
    params?: ProfileListParams<F>,
    options?: RequestOptions,
  ): PageRequest<Profile<F>> {
    return this._pages(() => {
      const p = path`/database/${param.id(databaseId, 'databaseId')}/profiles`;
      return recordList<Profile>(params as RecordListParams | undefined, (query, paging) =>
        this._list(p, ProfileModel, { query, params: paging, options }),
      ) as unknown as PageRequest<Profile<F>>;
    });
  }

  /**
   * The profiles modified since a point in time, each once, read by key while others write; read
   * it to the end, then keep `.cursor` and pass it as `since` next time (no change between two runs
   * is missed, across DST switches too). See src/resources/changes.ts for the cursor format.
   *
   * @example
   * const changes = client.profiles.changes(12, { since: lastCursor });
   * for await (const p of changes) console.log(p.ID, p.modified);
   * lastCursor = changes.cursor;
   */
  changes<F extends FieldMap<F> = RecordFieldValues>(
    databaseId: Id,
    params: ProfileChangesParams = {},
    options?: RequestOptions,
  ): ProfileChanges<F> {
    try {
      return profileChanges<F>(toId(databaseId, 'databaseId'), params, (filters, limit) =>
        this.list<F>(databaseId, { where: filters as FilterInput<RecordFilterField<F>>, limit, iterate: 'key' }, options),
      );
    } catch (error) {
      return failedChanges<F>(error);
    }
  }

  /**
   * Syncs records into the profiles of a database, keyed on one field (see docs/sync.md). Each
   * record is looked up by its key; a missing profile is created (a keyed upsert, never a blind
   * POST), an existing one gets only the fields whose stored value would change, and an equal one
   * costs no write. Sub-items (orders, …) are matched by their own key within the profile. Outcomes
   * stream in source order.
   *
   * @example
   * import { FileCheckpoint } from 'copernica-rest';
   * const run = client.profiles.sync<Customer>(12, readCustomers(), { key: 'customerId', checkpoint: new FileCheckpoint('sync.json') });
   * for await (const o of run) if (o.status === 'failed') console.error(o.index, o.error.message);
   * console.log(await run.summary());
   */
  sync<F extends FieldMap<F> = RecordFieldValues, S extends SubprofileFieldMaps<S> = {}>(
    databaseId: Id,
    source: Iterable<SyncRecord<NoInfer<F>, NoInfer<S>>> | AsyncIterable<SyncRecord<NoInfer<F>, NoInfer<S>>>,
    params: SyncParams<NoInfer<F>, NoInfer<S>>,
    options?: RequestOptions,
  ): SyncRun<F> {
    this.#sync ??= new Sync(this._core);
    return this.#sync.profiles<F, S>(databaseId, source, params, options);
  }

  /**
   * The IDs of every profile of a database (`GET /database/{databaseId}/profileids`, not paged).
   *
   * @example
   * const ids = await client.profiles.ids(12); // [4567, 4568]
   */
  async ids(databaseId: Id, options?: RequestOptions): Promise<number[]> {
    return this._json('GET', path`/database/${param.id(databaseId, 'databaseId')}/profileids`, recordIdList, { options });
  }

  /**
   * The profiles in a view (`GET /view/{viewId}/profiles`): the same parameters and iteration modes
   * as `list()` (`where` filters, `orderBy`/`order`, paging, `iterate: 'key'`). `F` types the field map.
   *
   * @example
   * import { where } from 'copernica-rest';
   * for await (const p of client.profiles.listInView<{ country: string }>(55, { where: where.gte('age', 18), orderBy: 'modified', order: 'desc' })) {
   *   console.log(p.ID, p.fields?.country);
   * }
   */
  listInView<F extends FieldMap<F> = RecordFieldValues>(
    viewId: Id,
    params?: ProfileListParams<F>,
    options?: RequestOptions,
  ): PageRequest<Profile<F>> {
    return this._pages(() => {
      const p = path`/view/${param.id(viewId, 'viewId')}/profiles`;
      return recordList<Profile>(params as RecordListParams | undefined, (query, paging) =>
        this._list(p, ProfileModel, { query, params: paging, options }),
      ) as unknown as PageRequest<Profile<F>>;
    });
  }

  /**
   * The IDs of the profiles in a view (`GET /view/{viewId}/profileids`, a bare array, all at once).
   *
   * @example
   * const ids = await client.profiles.idsInView(55);
   */
  async idsInView(viewId: Id, options?: RequestOptions): Promise<number[]> {
    return this._json('GET', path`/view/${param.id(viewId, 'viewId')}/profileids`, recordIdListOrEnvelope, { options });
  }

  /**
   * One profile (`GET /profile/{profileId}`). A removed profile reads back with empty fields and a
   * `removed` date.
   *
   * @example
   * const p = await client.profiles.get<{ email: string }>(4567);
   * if (p.removed) console.log('removed on', p.removed);
   */
  async get<F extends FieldMap<F> = RecordFieldValues>(profileId: Id, options?: RequestOptions): Promise<Profile<F>> {
    return this._json('GET', path`/profile/${param.id(profileId, 'profileId')}`, ProfileModel, { options }) as Promise<Profile<F>>;
  }

  /**
   * Creates a profile (`POST /database/{databaseId}/profiles`); the new ID is in `.id`. Interests,
   * which the create call cannot set, are added with a second call (`POST /profile/{id}/interests`).
   *
   * @example
   * const { id } = await client.profiles.create<MyFields>(12, { fields: { email: 'a@example.com', country: 'nl' } });
   */
  async create<F extends FieldMap<F> = RecordFieldValues>(
    databaseId: Id,
    params: ProfileCreateParams<F>,
    options?: RequestOptions,
  ): Promise<CreateResult> {
    const p = path`/database/${param.id(databaseId, 'databaseId')}/profiles`;
    const body = checkInput(createSchema, params, 'params');
    // Look-ups, create and interests under one deadline (APIResource._oneDeadline).
    return this._oneDeadline(options, async () => {
      if (body.validateFields) await this.#validate(toId(databaseId, 'databaseId'), body.fields, undefined, options);
      // No ID in the reply is an InvalidResponseError (the profile was probably created; its interests are not set).
      const result = await this._create(p, { body: body.fields, options });
      if (body.interests !== undefined) await this.interests.add(result.id, body.interests, options);
      return result;
    });
  }

  /**
   * Changes a profile's fields, interests and/or secret in one call (`PUT /profile/{profileId}`).
   *
   * @example
   * await client.profiles.update(4567, { fields: { country: 'germany' }, interests: { tennis: true } });
   */
  async update<F extends FieldMap<F> = RecordFieldValues>(
    profileId: Id,
    params: ProfileUpdateParams<F>,
    options?: RequestOptions,
  ): Promise<WriteResult> {
    const p = path`/profile/${param.id(profileId, 'profileId')}`;
    const { validateFields, ...body } = checkInput(updateSchema, params, 'params');
    const fields = body.fields;
    if (!validateFields || !fields) return this._write('PUT', p, { body, options });
    return this._oneDeadline(options, async () => {
      await this._validateForProfile(profileId, fields, undefined, options);
      return this._write('PUT', p, { body, options });
    });
  }

  /**
   * Updates every profile matching `where` (`PUT /database/{databaseId}/profiles?fields[]=…`).
   * `where` is required and must hold at least one condition: the SDK refuses to send a bulk update
   * without one. With `validateFields`, filters on unknown fields are refused too (Copernica would
   * ignore such a condition and update every profile).
   *
   * Copernica does not say how many profiles a bulk update touched, so the result cannot either
   * (see {@link ProfileUpdateManyResult}); it says whether `create: true` made a profile.
   *
   * @example
   * await client.profiles.updateMany(12, { where: where.eq('country', 'nl'), fields: { language: 'dutch' } });
   */
  async updateMany<F extends FieldMap<F> = RecordFieldValues>(
    databaseId: Id,
    params: ProfileUpdateManyParams<F>,
    options?: RequestOptions,
  ): Promise<ProfileUpdateManyResult> {
    const p = path`/database/${param.id(databaseId, 'databaseId')}/profiles`;
    const body = checkInput(updateManySchema, params, 'params');
    const filters = this.#requiredFilters(params?.where);
    return this._oneDeadline(options, async () => {
      if (body.validateFields) await this.#validate(toId(databaseId, 'databaseId'), body.fields, filters, options);
      const res = await this._core.call({
        method: 'PUT',
        path: p,
        query: { fields: filters, create: body.create, async: body.async },
        body: body.fields,
        responseType: 'none',
        options: checkRequestOptions(options),
      });
      const { status, location } = writeResultOf(res);
      // Only a profile `create` made has an ID of its own (X-Created); a plain bulk update names none.
      const created = res.status === 201 || res.header('x-created') !== undefined;
      return { status, created, id: created ? writeResultOf(res).id : undefined, location };
    });
  }

  /**
   * Updates the profiles matching `where`, or creates one when none matches
   * (`PUT /database/{databaseId}/profiles?fields[]=…&create=true`). `created` says which happened;
   * a created profile's ID is in `.id`.
   *
   * @example
   * const r = await client.profiles.upsert(12, { where: where.eq('email', 'a@example.com'), fields: { country: 'nl' } });
   * if (r.created) console.log('new profile', r.id);
   */
  async upsert<F extends FieldMap<F> = RecordFieldValues>(
    databaseId: Id,
    params: ProfileUpsertParams<F>,
    options?: RequestOptions,
  ): Promise<ProfileUpsertResult> {
    const p = path`/database/${param.id(databaseId, 'databaseId')}/profiles`;
    const body = checkInput(upsertSchema, params, 'params');
    const filters = this.#requiredFilters(params?.where);
    return this._oneDeadline(options, async () => {
      if (body.validateFields) await this.#validate(toId(databaseId, 'databaseId'), body.fields, filters, options);
      // Created is what the reply says: a 201, or (live, spec/OBSERVED.md) a 200/303 that carries
      // `X-Created` with the new ID. An update of an existing profile carries no `X-Created`.
      const res = await this._core.call({
        method: 'PUT',
        path: p,
        query: { fields: filters, create: true },
        body: body.fields,
        responseType: 'none',
        options: checkRequestOptions(options),
      });
      return { ...writeResultOf(res), created: res.status === 201 || res.header('x-created') !== undefined };
    });
  }

  /**
   * Deletes a profile (`DELETE /profile/{profileId}`); its subprofiles go with it. `removed` is false
   * (status 204) when there was nothing to delete; deleting it a second time throws an
   * `AlreadyRemovedError`.
   *
   * @example
   * const { removed } = await client.profiles.delete(4567);
   */
  async delete(profileId: Id, options?: RequestOptions): Promise<DeleteResult> {
    return this._delete(path`/profile/${param.id(profileId, 'profileId')}`, { options });
  }

  /**
   * Forgets the field definitions `validateFields` keeps: of one database, or of every database when
   * none is given. The client forgets them by itself when a field of the database is created,
   * changed or deleted through it (`client.databases.fields`); call this after fields changed
   * elsewhere (the web interface, another process). Sends nothing; the next validating call fetches
   * them again.
   *
   * @example
   * await client.profiles.clearFieldCache(12);
   */
  async clearFieldCache(databaseId?: Id): Promise<void> {
    fieldDefinitions(this._core).forget(databaseId === undefined ? undefined : toId(databaseId, 'databaseId'));
  }

  #requiredFilters(input: unknown): string[] {
    const filters = filterExpressions(input as FilterInput | undefined, 'params.where');
    if (filters.length === 0) {
      throw new ValidationError(
        'Invalid params.where: a bulk update needs at least one condition (it would change every profile of the database)',
        ['params.where: required, at least one condition'],
      );
    }
    return filters;
  }

  /**
   * The field definitions of a database, fetched once per database and kept by the client until a
   * field of that database is written through it, or {@link clearFieldCache} (field-definitions.ts).
   */
  #definitions(databaseId: number, options: RequestOptions | undefined): Promise<Field[]> {
    return fieldDefinitions(this._core).get(databaseId, async () => {
      const out: Field[] = [];
      for await (const f of this._list(path`/database/${param.id(databaseId, 'databaseId')}/fields`, FieldSchema, { options })) out.push(f);
      return out;
    });
  }

  async #validate(
    databaseId: number,
    values: Record<string, string | number> | undefined,
    filters: readonly string[] | undefined,
    options: RequestOptions | undefined,
  ): Promise<void> {
    // The definitions are cached and may be in flight for another call: wait within this call's deadline.
    const defs = await this._withinDeadline(
      () => this.#definitions(databaseId, options),
      `GET ${this._core.config.baseUrl}/database/${databaseId}/fields`,
    );
    const issues = [...fieldIssues(defs, values ?? {}, 'fields'), ...filterIssues(defs, filters ?? [], 'where')];
    if (issues.length) throw new ValidationError(`Invalid fields for database ${databaseId}: ${issues.join('; ')}`, issues);
  }

  /** @internal Validation for calls addressed by profile ID: the profile's database is read first. */
  async _validateForProfile(
    profileId: Id,
    values: Record<string, string | number>,
    filters: readonly string[] | undefined,
    options: RequestOptions | undefined,
  ): Promise<void> {
    return this._oneDeadline(options, async () => {
      const profile = await this.get(profileId, options);
      // Degraded (the reply's `database` was unusable; warned): no guessing which fields apply.
      if (profile.database === undefined) {
        throw new InvalidResponseError(
          `The reply to GET did not say which database profile ${profile.ID} belongs to, so its fields cannot be validated; nothing was written`,
          {
            status: 200,
            request: `GET ${this._core.config.baseUrl}/profile/${profile.ID}`,
          },
        );
      }
      await this.#validate(profile.database, values, filters, options);
    });
  }
}
