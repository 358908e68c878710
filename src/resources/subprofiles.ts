/**
 * Subprofiles: the records of a collection (spec/API.md §3.11), listed by collection, miniview or
 * profile; created under a profile, in a collection (`client.subprofiles.create(profileId, collectionId, …)`).
 */
import type { CreateResult, WriteResult } from '../core/results.js';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/config.js';
import type { PageRequest } from '../core/pagination.js';
import { path, param, type Id } from '../core/path.js';
import type { Model } from '../core/schema.js';
import { checkInput } from '../core/input.js';
import { filterExpressions, type FilterInput } from '../core/filter.js';
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
import { z } from 'zod';

/** A subprofile (a record of a collection).
 * Every property but `ID` reads `undefined` when the reply's value could not be used (default mode;
 * `degradedProperties(record)` has the raw value, docs/replies.md); strict mode refuses such a reply.
 */
export interface Subprofile<F extends FieldMap<F> = RecordFieldValues> {
  /** Subprofile ID. Some pages send it as `id` (profile subprofile lists): the SDK always gives `ID`. */
  ID: number;
  /** ID of the owning profile. */
  profile?: number | undefined;
  /** ID of the collection. */
  collection?: number | undefined;
  /** The secret code (filter name `code`). */
  secret?: string | undefined;
  /** `YYYY-MM-DD hh:mm:ss` (Copernica's local time), or null for an empty date. */
  created?: string | null | undefined;
  /** `YYYY-MM-DD hh:mm:ss`, or null for an empty date. */
  modified?: string | null | undefined;
  /** Field values, as strings. */
  fields?: F | undefined;
  /** When the subprofile was removed (`YYYY-MM-DD hh:mm:ss`), null for a live one. A removed subprofile reads back with empty fields. */
  removed?: string | null | undefined;
}

/** @internal */
export const SubprofileModel: Model<Subprofile> = recordModel(['profile', 'collection'], { interests: false });

/** Parameters of `client.subprofiles.list()`. */
export type SubprofileListParams<F extends FieldMap<F> = RecordFieldValues> = RecordListParams<F>;

/** Parameters of `client.subprofiles.listInMiniview()`. `F` is the collection's field map, as in `listInMiniview<F>()`. */
export interface SubprofileListInMiniviewParams<F extends FieldMap<F> = RecordFieldValues> {
  /**
   * `fields[]` conditions (ANDed): a `where.*()` filter, a raw expression such as `'amount>100'`, or
   * an array of them. With a field map `F`, only its field names (and `id`, `code`, `modified`) compile.
   */
  where?: FilterInput<RecordFilterField<F>>;
}

const listInMiniviewSchema = z.strictObject({ where: z.unknown().optional() });

/** Field values of one subprofile. */
export class SubprofileFields extends APIResource {
  /**
   * The field values of a subprofile (`GET /subprofile/{subprofileId}/fields`).
   *
   * @example
   * const values = await client.subprofiles.fields.get(9001);
   * console.log(values.ordernumber);
   */
  async get<F extends FieldMap<F> = RecordFieldValues>(subprofileId: Id, options?: RequestOptions): Promise<F> {
    return this._json('GET', path`/subprofile/${param.id(subprofileId, 'subprofileId')}/fields`, recordFieldValues, {
      options,
    }) as Promise<F>;
  }

  /**
   * Overwrites some field values of a subprofile (`PUT /subprofile/{subprofileId}/fields`, the path
   * the reference page documents; the index's `PUT /profile/{profileId}/subprofiles` is never sent).
   *
   * @example
   * await client.subprofiles.fields.update(9001, { status: 'paid' });
   */
  async update<F extends FieldMap<F> = RecordFieldValues>(
    subprofileId: Id,
    fields: RecordFieldInput<F>,
    options?: RequestOptions,
  ): Promise<WriteResult> {
    const p = path`/subprofile/${param.id(subprofileId, 'subprofileId')}/fields`;
    const body = checkInput(recordFieldInput, fields, 'fields');
    return this._write('PUT', p, { body, options });
  }
}

/** Subprofiles: `client.subprofiles`. */
export class Subprofiles extends APIResource {
  /** Field values of one subprofile. */
  readonly fields: SubprofileFields;

  /** @internal */
  constructor(core: ConstructorParameters<typeof APIResource>[0]) {
    super(core);
    this.fields = new SubprofileFields(core);
  }

  /**
   * Lists or searches the subprofiles of a collection (`GET /collection/{collectionId}/subprofiles`).
   * `await` it for one page, `for await` it for every subprofile.
   *
   * @example
   * import { where } from 'copernica-rest';
   * type Order = { ordernumber: string; status: string };
   * for await (const s of client.subprofiles.list<Order>(33, { where: where.eq('status', 'paid'), iterate: 'key' })) {
   *   console.log(s.ID, s.fields?.ordernumber);
   * }
   */
  list<F extends FieldMap<F> = RecordFieldValues>(
    collectionId: Id,
    params?: SubprofileListParams<F>,
    options?: RequestOptions,
  ): PageRequest<Subprofile<F>> {
    return this._pages(() => {
      const p = path`/collection/${param.id(collectionId, 'collectionId')}/subprofiles`;
      return recordList<Subprofile>(params as RecordListParams | undefined, (query, paging) =>
        this._list(p, SubprofileModel, { query, params: paging, options }),
      ) as unknown as PageRequest<Subprofile<F>>;
    });
  }

  /**
   * The IDs of every subprofile of a collection (`GET /collection/{collectionId}/subprofileids`, not paged).
   *
   * @example
   * const ids = await client.subprofiles.ids(33); // [9001, 9002]
   */
  async ids(collectionId: Id, options?: RequestOptions): Promise<number[]> {
    return this._json('GET', path`/collection/${param.id(collectionId, 'collectionId')}/subprofileids`, recordIdList, { options });
  }

  /**
   * One subprofile (`GET /subprofile/{subprofileId}`). A removed subprofile reads back with empty
   * fields and a `removed` date.
   *
   * @example
   * const s = await client.subprofiles.get(9001);
   */
  async get<F extends FieldMap<F> = RecordFieldValues>(subprofileId: Id, options?: RequestOptions): Promise<Subprofile<F>> {
    return this._json('GET', path`/subprofile/${param.id(subprofileId, 'subprofileId')}`, SubprofileModel, { options }) as Promise<
      Subprofile<F>
    >;
  }

  /**
   * The subprofiles in a miniview (`GET /miniview/{miniviewId}/subprofiles`), optionally filtered
   * with `where`. The page documents a bare array and no paging, so the SDK sends no paging
   * parameters; the result is one page holding every match (an envelope is decoded too). The page's
   * lower-case `id` is read as `ID`. `F` types the field map.
   *
   * @example
   * const page = await client.subprofiles.listInMiniview(81, { where: 'amount>100' });
   * for (const s of page.data) console.log(s.ID, s.profile, s.fields?.amount);
   */
  listInMiniview<F extends FieldMap<F> = RecordFieldValues>(
    miniviewId: Id,
    params?: SubprofileListInMiniviewParams<F>,
    options?: RequestOptions,
  ): PageRequest<Subprofile<F>> {
    return this._pages(() => {
      const p = path`/miniview/${param.id(miniviewId, 'miniviewId')}/subprofiles`;
      checkInput(listInMiniviewSchema, params ?? {}, 'params');
      const fields = filterExpressions(params?.where, 'params.where');
      const query = { 'fields[]': fields.length ? fields : undefined };
      return this._list(p, SubprofileModel, { query, options, paged: false }) as unknown as PageRequest<Subprofile<F>>;
    });
  }

  /**
   * The IDs of the subprofiles in a miniview (`GET /miniview/{miniviewId}/subprofileids`, a bare
   * array, all at once).
   *
   * @example
   * const ids = await client.subprofiles.idsInMiniview(81);
   */
  async idsInMiniview(miniviewId: Id, options?: RequestOptions): Promise<number[]> {
    return this._json('GET', path`/miniview/${param.id(miniviewId, 'miniviewId')}/subprofileids`, recordIdListOrEnvelope, { options });
  }

  /**
   * The subprofiles a profile owns in one collection (`GET /profile/{profileId}/subprofiles/{collectionId}`,
   * the form the reference page documents; the index's form without a collection is never sent).
   * A bare array: `await` gives one page holding all of them.
   *
   * @example
   * const { data } = await client.subprofiles.listInProfile(4567, 33);
   */
  listInProfile<F extends FieldMap<F> = RecordFieldValues>(
    profileId: Id,
    collectionId: Id,
    options?: RequestOptions,
  ): PageRequest<Subprofile<F>> {
    return this._pages(() => {
      const p = path`/profile/${param.id(profileId, 'profileId')}/subprofiles/${param.id(collectionId, 'collectionId')}`;
      return this._list(p, SubprofileModel, { options, paged: false }) as unknown as PageRequest<Subprofile<F>>;
    });
  }

  /**
   * Creates a subprofile of a profile in a collection (`POST /profile/{profileId}/subprofiles/{collectionId}`,
   * the page form; the index's form without a collection is never sent). The new ID is in `.id`.
   *
   * @example
   * const { id } = await client.subprofiles.create(4567, 33, { ordernumber: 'A-1001' });
   */
  async create<F extends FieldMap<F> = RecordFieldValues>(
    profileId: Id,
    collectionId: Id,
    fields: RecordFieldInput<F>,
    options?: RequestOptions,
  ): Promise<CreateResult> {
    const p = path`/profile/${param.id(profileId, 'profileId')}/subprofiles/${param.id(collectionId, 'collectionId')}`;
    return this._create(p, { body: checkInput(recordFieldInput, fields, 'fields'), options });
  }
}
