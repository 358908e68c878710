/**
 * Collections, their fields and unsubscribe behaviour (API.md §3.6–3.8). Listing and creating
 * collections is under `client.databases.collections`.
 */
import { z } from 'zod';
import { APIResource, type DeleteResult } from '../core/resource.js';
import type { RequestOptions } from '../core/config.js';
import type { PageParams, PageRequest } from '../core/pagination.js';
import type { Core, WriteResult } from '../core/transport.js';
import { checkInput } from '../core/input.js';
import { param, path, type Id, type IdOrName } from '../core/path.js';
import { id, listOf, model } from '../core/schema.js';
import {
  COLLECTION_FIELD_TYPES,
  FieldSchema,
  entityName,
  fieldWriteSchema,
  renameKeys,
  type CollectionFieldCreateParams,
  type CollectionFieldUpdateParams,
  type Field,
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
/** A collection (a second-level table of a database) with its fields. */
export type Collection = z.output<(typeof CollectionSchema)['loose']>;

/** What Copernica does when an unsubscribe comes in. */
export type UnsubscribeAction = 'nothing' | 'remove' | 'update';

/**
 * The unsubscribe behaviour of a database or collection as read. `behavior` is also read from
 * `behaviour` and in any letter case; `fields` is `{}` when the server sends `[]` or nothing.
 */
export const UnsubscribeBehaviorSchema = model((obj) =>
  z.preprocess(
    renameKeys({ behaviour: 'behavior' }),
    obj({
      /** `nothing` (ignore), `remove` (delete the (sub)profile) or `update` (write `fields`). */
      behavior: z
        .string()
        .transform((s) => s.toLowerCase())
        .pipe(z.enum(['nothing', 'remove', 'update'])),
      /** Field name → value written on unsubscribe (behavior `update`); `{}` otherwise. */
      fields: z
        .union([
          z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((v) => (v === null ? '' : String(v)))),
          z.array(z.unknown()).max(0),
          z.null(),
        ])
        .optional()
        .transform((v): Record<string, string> => (v === undefined || v === null || Array.isArray(v) ? {} : v)),
    }),
  ),
);
/** The unsubscribe behaviour of a database or collection (`GET …/unsubscribe`). */
export type UnsubscribeBehavior = z.output<(typeof UnsubscribeBehaviorSchema)['loose']>;

/**
 * A new unsubscribe behaviour (`PUT …/unsubscribe`): `nothing` and `remove` take no fields; `update`
 * needs the field values to write (at least one; numbers are sent as strings).
 */
export type UnsubscribeBehaviorUpdate =
  | { behavior: 'nothing' }
  | { behavior: 'remove' }
  | { behavior: 'update'; fields: Record<string, string | number> };

/** Internal: validated body of an unsubscribe write. */
export const unsubscribeWriteSchema = z.discriminatedUnion('behavior', [
  z.strictObject({ behavior: z.literal('nothing') }),
  z.strictObject({ behavior: z.literal('remove') }),
  z.strictObject({
    behavior: z.literal('update'),
    fields: z
      .record(entityName, z.union([z.string(), z.number().finite()]).transform(String))
      .refine((f) => Object.keys(f).length > 0, 'must name at least one field to update'),
  }),
]);

/** Body of `client.databases.collections.create()`. */
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

/** Internal: validated body of a collection create. */
export const collectionCreateSchema = z.strictObject({
  name: entityName,
  fields: z.array(collectionFieldCreate).optional(),
});

const collectionUpdateSchema = z.strictObject({ name: entityName });

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
    return this._list(path`/collection/${colId(collectionId)}/fields`, FieldSchema, { params, options });
  }

  /**
   * Adds a field to a collection (`POST /collection/{collectionId}/fields`); the new field ID is in
   * `.id`. Collections also allow the type `phone`. `choices` is sent as the newline-separated
   * `value` of a `select` field.
   *
   * @example
   * const { id } = await client.collections.fields.create(33, { name: 'amount', type: 'float' });
   */
  create(collectionId: Id, field: CollectionFieldCreateParams, options?: RequestOptions): Promise<WriteResult> {
    const p = path`/collection/${colId(collectionId)}/fields`;
    const body = checkInput(collectionFieldCreate, field, 'field');
    return this._write('POST', p, { body, options });
  }

  /**
   * Changes a collection field (`PUT /collection/{collectionId}/field/{fieldId}`, numeric IDs).
   * Every property is optional, at least one is needed.
   *
   * @example
   * await client.collections.fields.update(33, 301, { name: 'ordernr' });
   */
  update(collectionId: Id, fieldId: Id, changes: CollectionFieldUpdateParams, options?: RequestOptions): Promise<WriteResult> {
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
  delete(collectionId: Id, fieldId: IdOrName, options?: RequestOptions): Promise<DeleteResult> {
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
  get(collectionId: Id, options?: RequestOptions): Promise<UnsubscribeBehavior> {
    return this._json('GET', path`/collection/${colId(collectionId)}/unsubscribe`, UnsubscribeBehaviorSchema, { options });
  }

  /**
   * Sets the unsubscribe behaviour of a collection (`PUT /collection/{collectionId}/unsubscribe`).
   *
   * @example
   * await client.collections.unsubscribe.update(33, { behavior: 'remove' });
   */
  update(collectionId: Id, behavior: UnsubscribeBehaviorUpdate, options?: RequestOptions): Promise<WriteResult> {
    const p = path`/collection/${colId(collectionId)}/unsubscribe`;
    const body = checkInput(unsubscribeWriteSchema, behavior, 'behavior');
    return this._write('PUT', p, { body, options });
  }
}

/** Collections: `client.collections`. v1 has no call to delete a collection. */
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
   * Fetches one collection with its fields (`GET /collection/{collectionId}`).
   *
   * @example
   * const orders = await client.collections.get(33);
   * console.log(orders.name, orders.fields.map((f) => f.name));
   */
  get(collectionId: Id, options?: RequestOptions): Promise<Collection> {
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
  update(collectionId: Id, changes: CollectionUpdateParams, options?: RequestOptions): Promise<WriteResult> {
    const p = path`/collection/${colId(collectionId)}`;
    const body = checkInput(collectionUpdateSchema, changes, 'changes');
    return this._write('PUT', p, { body, options });
  }
}
