/**
 * Collections, their fields and unsubscribe behaviour (spec/API.md §3.6–3.8). Listing and creating
 * collections of a database is `client.collections.list(databaseId)` / `.create(databaseId, …)`.
 */
import { z } from 'zod';
import type { CreateResult, DeleteResult, WriteResult } from '../core/results.js';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/config.js';
import type { PageParams, PageRequest } from '../core/pagination.js';
import type { Core } from '../core/transport.js';
import { checkInput } from '../core/input.js';
import { param, path, type Id, type IdOrName } from '../core/path.js';
import { id, listOf, model, renameKeys } from '../core/schema.js';
import {
  COLLECTION_FIELD_TYPES,
  FieldSchema,
  UnsubscribeBehaviorSchema,
  entityName,
  fieldWriteSchema,
  unsubscribeWriteSchema,
  type CollectionFieldCreateParams,
  type CollectionFieldUpdateParams,
  type Field,
  type UnsubscribeBehavior,
  type UnsubscribeBehaviorUpdate,
} from './fields.js';

/**
 * A collection with its fields (`GET /collection/{id}`, and nested in databases). `fields` is always
 * an array (the server may send a paging envelope); `ID` is also read from `id`.
 */
export const CollectionSchema = model((obj, use) =>
  z.preprocess(
    renameKeys({ id: 'ID' }),
    obj({
      /** Collection ID. */
      ID: id,
      /** Collection name. */
      name: z.string(),
      /** ID of the database the collection belongs to. */
      database: id,
      /** The fields of the collection. */
      fields: listOf(use(FieldSchema)).default([]),
    }),
  ),
);
/**
 * A collection (a second-level table of a database) with its fields (`GET /collection/{id}`, and
 * nested in databases). Properties other than `ID` and `name` read `undefined` when the reply's
 * value was unusable (loose mode). Equal to the output of `CollectionSchema` (test/types/schemas.test-d.ts).
 */
export interface Collection {
  /** Collection ID (also read from `id`). */
  ID: number;
  /** Collection name. */
  name: string;
  /** ID of the database the collection belongs to. */
  database?: number | undefined;
  /** The fields of the collection; always an array (the server may send a paging envelope). */
  fields?: Field[] | undefined;
}

/** Body of `client.collections.create()`. */
export interface CollectionCreateParams {
  /** Name of the collection (unique in the database). */
  name: string;
  /** Fields to create with the collection (same rules as `client.collections.fields.create()`). */
  fields?: CollectionFieldCreateParams[];
}

/** Body of `client.collections.update()`. */
export interface CollectionUpdateParams {
  /** New collection name. */
  name: string;
}

const collectionFieldCreate = fieldWriteSchema(COLLECTION_FIELD_TYPES, 'create');
const collectionFieldUpdate = fieldWriteSchema(COLLECTION_FIELD_TYPES, 'update');

/**
 * `POST /database/{id}/collections` and `PUT /collection/{id}` also list `database` (and the PUT
 * `fields`), copied from the GET table. Not accepted: the database is the one in the create path and a
 * collection does not move between databases (read-only), and an existing collection's fields are
 * written through `client.collections.fields`. `fields` on create is sent (the page creates them with it).
 */
/** @internal Exported for test/types/schemas.test-d.ts. */
export const collectionCreateSchema = z.strictObject({
  name: entityName,
  fields: z.array(collectionFieldCreate).optional(),
});

/** @internal Exported for test/types/schemas.test-d.ts. */
export const collectionUpdateSchema = z.strictObject({ name: entityName });

const colId = (v: Id) => param.id(v, 'collectionId');

/** Fields of a collection: `client.collections.fields`. */
export class CollectionFields extends APIResource {
  /**
   * Lists the fields of a collection (`GET /collection/{collectionId}/fields`, paged).
   *
   * @example
   * const page = await client.collections.fields.list(33);
   * console.log(page.data.map((f) => f.name));
   */
  list(collectionId: Id, params?: PageParams, options?: RequestOptions): PageRequest<Field> {
    return this._pages(() => this._list(path`/collection/${colId(collectionId)}/fields`, FieldSchema, { params, options }));
  }

  /**
   * Adds a field to a collection (`POST /collection/{collectionId}/fields`); the new field ID is in
   * `.id`. Collections also allow the type `phone`. `choices` is sent as the newline-separated
   * `value` of a `select` field.
   *
   * @example
   * const { id } = await client.collections.fields.create(33, { name: 'amount', type: 'float' });
   */
  async create(collectionId: Id, field: CollectionFieldCreateParams, options?: RequestOptions): Promise<CreateResult> {
    const p = path`/collection/${colId(collectionId)}/fields`;
    const body = checkInput(collectionFieldCreate, field, 'field');
    return this._create(p, { body, options });
  }

  /**
   * Changes a collection field (`PUT /collection/{collectionId}/field/{fieldId}`, numeric IDs).
   * Every property is optional, at least one is needed.
   *
   * @example
   * await client.collections.fields.update(33, 301, { name: 'ordernr' });
   */
  async update(collectionId: Id, fieldId: Id, changes: CollectionFieldUpdateParams, options?: RequestOptions): Promise<WriteResult> {
    const p = path`/collection/${colId(collectionId)}/field/${param.id(fieldId, 'fieldId')}`;
    const body = checkInput(collectionFieldUpdate, changes, 'changes');
    return this._write('PUT', p, { body, options });
  }

  /**
   * Deletes a collection field (`DELETE /collection/{collectionId}/field/{fieldId}`); the field may
   * be given by ID or by name. `removed` is false (status 204) when there was no such field.
   *
   * @example
   * const { removed } = await client.collections.fields.delete(33, 'ordernumber');
   */
  async delete(collectionId: Id, fieldId: IdOrName, options?: RequestOptions): Promise<DeleteResult> {
    return this._delete(path`/collection/${colId(collectionId)}/field/${param.idOrName(fieldId, 'fieldId')}`, { options });
  }
}

/** Unsubscribe behaviour of a collection: `client.collections.unsubscribe`. */
export class CollectionUnsubscribe extends APIResource {
  /**
   * Reads what happens to a subprofile when an unsubscribe comes in
   * (`GET /collection/{collectionId}/unsubscribe`, numeric ID: the page's "ID or name" is copied
   * from the database page). `fields` is `{}` unless `behavior` is `update`.
   *
   * @example
   * const { behavior } = await client.collections.unsubscribe.get(33);
   */
  async get(collectionId: Id, options?: RequestOptions): Promise<UnsubscribeBehavior> {
    return this._json('GET', path`/collection/${colId(collectionId)}/unsubscribe`, UnsubscribeBehaviorSchema, { options });
  }

  /**
   * Sets the unsubscribe behaviour of a collection (`PUT /collection/{collectionId}/unsubscribe`).
   *
   * @example
   * await client.collections.unsubscribe.update(33, { behavior: 'remove' });
   */
  async update(collectionId: Id, behavior: UnsubscribeBehaviorUpdate, options?: RequestOptions): Promise<WriteResult> {
    const p = path`/collection/${colId(collectionId)}/unsubscribe`;
    const body = checkInput(unsubscribeWriteSchema, behavior, 'behavior');
    return this._write('PUT', p, { body, options });
  }
}

/** Collections: `client.collections` (listed and created by database ID). v1 has no call to delete a collection. */
export class Collections extends APIResource {
  /** Fields of a collection. */
  readonly fields: CollectionFields;
  /** Unsubscribe behaviour of a collection. */
  readonly unsubscribe: CollectionUnsubscribe;

  /** @internal */
  constructor(core: Core) {
    super(core);
    this.fields = new CollectionFields(core);
    this.unsubscribe = new CollectionUnsubscribe(core);
  }

  /**
   * Lists the collections of a database with their fields (`GET /database/{databaseId}/collections`,
   * paged). The database may be given by ID or by name.
   *
   * @example
   * for await (const c of client.collections.list('customers')) console.log(c.ID, c.name);
   */
  list(databaseId: IdOrName, params?: PageParams, options?: RequestOptions): PageRequest<Collection> {
    return this._pages(() =>
      this._list(path`/database/${param.idOrName(databaseId, 'databaseId')}/collections`, CollectionSchema, { params, options }),
    );
  }

  /**
   * Creates a collection in a database (`POST /database/{databaseId}/collections`); the new ID is in
   * `.id`. `fields` (optional) are created with it, validated like `collections.fields.create()`.
   *
   * @example
   * const { id } = await client.collections.create(12, { name: 'orders' });
   */
  async create(databaseId: Id, collection: CollectionCreateParams, options?: RequestOptions): Promise<CreateResult> {
    const p = path`/database/${param.id(databaseId, 'databaseId')}/collections`;
    const body = checkInput(collectionCreateSchema, collection, 'collection');
    return this._create(p, { body, options });
  }

  /**
   * Fetches one collection with its fields (`GET /collection/{collectionId}`).
   *
   * @example
   * const orders = await client.collections.get(33);
   * console.log(orders.name, orders.fields.map((f) => f.name));
   */
  async get(collectionId: Id, options?: RequestOptions): Promise<Collection> {
    return this._json('GET', path`/collection/${colId(collectionId)}`, CollectionSchema, { options });
  }

  /**
   * Renames a collection (`PUT /collection/{collectionId}`). The page also lists `database` and
   * `fields`, undocumented and probably not writable; fields are changed through
   * `client.collections.fields`.
   *
   * @example
   * await client.collections.update(33, { name: 'purchases' });
   */
  async update(collectionId: Id, changes: CollectionUpdateParams, options?: RequestOptions): Promise<WriteResult> {
    const p = path`/collection/${colId(collectionId)}`;
    const body = checkInput(collectionUpdateSchema, changes, 'changes');
    return this._write('PUT', p, { body, options });
  }
}
