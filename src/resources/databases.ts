/**
 * Databases and what hangs under them: fields, interests and the unsubscribe behaviour (collections
 * are `client.collections`) (spec/API.md §3.3–3.6, §3.8).
 */
import { z } from 'zod';
import type { CreateResult, DeleteResult, WriteResult } from '../core/results.js';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/config.js';
import type { PageParams, PageRequest } from '../core/pagination.js';
import type { Core } from '../core/transport.js';
import { checkInput } from '../core/input.js';
import { afterFieldWrite } from './field-definitions.js';
import { param, path, type Id, type IdOrName } from '../core/path.js';
import { bool, id, listOf, model, renameKeys, timestamp } from '../core/schema.js';
import {
  DATABASE_FIELD_TYPES,
  FieldSchema,
  UnsubscribeBehaviorSchema,
  entityName,
  fieldWriteSchema,
  unsubscribeWriteSchema,
  type DatabaseFieldCreateParams,
  type DatabaseFieldUpdateParams,
  type Field,
  type UnsubscribeBehavior,
  type UnsubscribeBehaviorUpdate,
} from './fields.js';
import { CollectionSchema, type Collection } from './collections.js';

export type {
  Field,
  DatabaseField,
  CollectionField,
  FieldType,
  DatabaseFieldType,
  CollectionFieldType,
  FieldCreateParams,
  FieldUpdateParams,
  DatabaseFieldCreateParams,
  DatabaseFieldUpdateParams,
  CollectionFieldCreateParams,
  CollectionFieldUpdateParams,
  UnsubscribeAction,
  UnsubscribeBehavior,
  UnsubscribeBehaviorUpdate,
} from './fields.js';

/** An interest defined in a database (`GET /database/{id}/interests`). `ID` is also read from `id`. */
export const DatabaseInterestSchema = model((obj) =>
  z.preprocess(
    renameKeys({ id: 'ID' }),
    obj({
      /** Interest ID. */
      ID: id,
      /** Interest name. */
      name: z.string(),
      /** Group label (`""` when the interest has no group). */
      group: z
        .union([z.string(), z.null()])
        .transform((v) => v ?? '')
        .default(''),
    }),
  ),
);
/**
 * An interest defined in a database (`GET /database/{id}/interests`, and nested in databases).
 * Equal to the output of `DatabaseInterestSchema` (test/types/schemas.test-d.ts).
 */
export interface DatabaseInterest {
  /** Interest ID (also read from `id`). */
  ID: number;
  /** Interest name. */
  name: string;
  /** Group label (`""` when the interest has no group; `undefined` when the reply's value was unusable). */
  group?: string | undefined;
}

/**
 * A database (`GET /databases`, `GET /database/{id}`). Nested `fields`, `interests` and
 * `collections` are always arrays (the server may send paging envelopes); `collections` is also read
 * from `collection` (the spelling of the GET databases page); `ID` also from `id`; a zero `created`
 * date becomes `null`.
 */
export const DatabaseSchema = model((obj, use) =>
  z.preprocess(
    renameKeys({ id: 'ID', collection: 'collections' }),
    obj({
      /** Database ID. */
      ID: id,
      /** Database name (unique in the account; usable instead of the ID on some endpoints). */
      name: z.string(),
      /** Description (`""` when none). */
      description: z
        .union([z.string(), z.null()])
        .transform((v) => v ?? '')
        .default(''),
      /** The database is archived. */
      archived: bool.default(false),
      /** Creation time `YYYY-MM-DD hh:mm:ss` (account time zone), or `null`. */
      created: timestamp.default(null),
      /** The fields of the database. */
      fields: listOf(use(FieldSchema)).default([]),
      /** The interests of the database. */
      interests: listOf(use(DatabaseInterestSchema)).default([]),
      /** The collections of the database, each with its fields. */
      collections: listOf(use(CollectionSchema)).default([]),
    }),
  ),
);
/**
 * A database with its fields, interests and collections (`GET /databases`, `GET /database/{id}`).
 * As in every entity, the properties other than `ID` and `name` are optional: a value the SDK
 * cannot use reads `undefined` (its raw value is in `degradedProperties(db)`; a strict client
 * refuses the reply instead). Properties the SDK does not know yet are kept at run time but not
 * typed: read them with `const raw: Record<string, unknown> = { ...db }; raw.newProperty`.
 * Equal to the output of `DatabaseSchema` (test/types/schemas.test-d.ts).
 */
export interface Database {
  /** Database ID (also read from `id`). */
  ID: number;
  /** Database name (unique in the account; usable instead of the ID on some endpoints). */
  name: string;
  /** Description (`""` when none). */
  description?: string | undefined;
  /** The database is archived. */
  archived?: boolean | undefined;
  /** Creation time `YYYY-MM-DD hh:mm:ss` (account time zone), or `null` (a zero date). */
  created?: string | null | undefined;
  /** The fields of the database; always an array (the server may send a paging envelope). */
  fields?: Field[] | undefined;
  /** The interests of the database. */
  interests?: DatabaseInterest[] | undefined;
  /** The collections of the database, each with its fields (also read from `collection`). */
  collections?: Collection[] | undefined;
}

/** Body of `client.databases.create()`. */
export interface DatabaseCreateParams {
  /** Name of the new database (unique in the account). */
  name: string;
  /** Description. */
  description?: string;
  /** Archive the database right away. */
  archived?: boolean;
}

/** Body of `client.databases.update()`: at least one property. */
export interface DatabaseUpdateParams {
  /** New name. */
  name?: string;
  /** New description. */
  description?: string;
  /** Archive (`true`) or un-archive (`false`). */
  archived?: boolean;
}

/** Body of `client.databases.interests.create()`. */
export interface DatabaseInterestCreateParams {
  /** Name of the interest. */
  name: string;
  /** Group label: interests with the same group are shown together in the user interface. */
  group?: string;
}

/** @internal Exported for test/types/schemas.test-d.ts. */
export const databaseCreateSchema = z.strictObject({
  name: entityName,
  description: z.string().optional(),
  archived: z.boolean().optional(),
});

/**
 * `PUT /database/{id}`: the page's write table also lists `created`, `fields`, `interests` and
 * `collections`, copied from the GET table (spec/API.md §3.3 quirk, inconsistency 24). They are not
 * accepted: `created` is the creation timestamp (read-only), and fields, interests and collections
 * are written through their own endpoints (`client.databases.fields`, `client.databases.interests`, `client.collections`).
 */
/** @internal Exported for test/types/schemas.test-d.ts. */
export const databaseUpdateSchema = z
  .strictObject({
    name: entityName.optional(),
    description: z.string().optional(),
    archived: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'must change at least one property (name, description, archived)');

/** @internal Exported for test/types/schemas.test-d.ts. */
export const interestCreateSchema = z.strictObject({
  name: entityName,
  group: z.string().optional(),
});

const databaseFieldCreate = fieldWriteSchema(DATABASE_FIELD_TYPES, 'create');
const databaseFieldUpdate = fieldWriteSchema(DATABASE_FIELD_TYPES, 'update');

const dbRef = (v: IdOrName) => param.idOrName(v, 'databaseId');
const dbId = (v: Id) => param.id(v, 'databaseId');

/** Fields of a database: `client.databases.fields`. */
export class DatabaseFields extends APIResource {
  /**
   * Lists the fields of a database (`GET /database/{databaseId}/fields`, paged). The database may be
   * given by ID or by name.
   *
   * @example
   * for await (const field of client.databases.fields.list('customers')) console.log(field.name, field.type);
   */
  list(databaseId: IdOrName, params?: PageParams, options?: RequestOptions): PageRequest<Field> {
    return this._pages(() => this._list(path`/database/${dbRef(databaseId)}/fields`, FieldSchema, { params, options }));
  }

  /**
   * Adds a field to a database (`POST /database/{databaseId}/fields`); the new field ID is in `.id`.
   * The type must be one the database-field page documents (no `phone`). `choices` is sent as the
   * newline-separated `value` of a `select` field.
   *
   * @example
   * const { id } = await client.databases.fields.create(12, { name: 'country', type: 'select', choices: ['nl', 'de'] });
   */
  async create(databaseId: Id, field: DatabaseFieldCreateParams, options?: RequestOptions): Promise<CreateResult> {
    const p = path`/database/${dbId(databaseId)}/fields`;
    const body = checkInput(databaseFieldCreate, field, 'field');
    return afterFieldWrite(this._core, databaseId, this._create(p, { body, options }));
  }

  /**
   * Changes a database field (`PUT /database/{databaseId}/field/{fieldId}`). The page accepts the
   * database by ID or name; the field by ID only. Every property is optional, at least one is needed.
   *
   * @example
   * await client.databases.fields.update('customers', 101, { displayed: false });
   */
  async update(databaseId: IdOrName, fieldId: Id, changes: DatabaseFieldUpdateParams, options?: RequestOptions): Promise<WriteResult> {
    const p = path`/database/${dbRef(databaseId)}/field/${param.id(fieldId, 'fieldId')}`;
    const body = checkInput(databaseFieldUpdate, changes, 'changes');
    return afterFieldWrite(this._core, databaseId, this._write('PUT', p, { body, options }));
  }

  /**
   * Deletes a database field (`DELETE /database/{databaseId}/field/{fieldId}`). The page takes the
   * database by numeric ID only, and the field by ID or name. `removed` is false (status 204) when
   * there was no such field.
   *
   * @example
   * const { removed } = await client.databases.fields.delete(12, 'firstname');
   */
  async delete(databaseId: Id, fieldId: IdOrName, options?: RequestOptions): Promise<DeleteResult> {
    return afterFieldWrite(
      this._core,
      databaseId,
      this._delete(path`/database/${dbId(databaseId)}/field/${param.idOrName(fieldId, 'fieldId')}`, { options }),
    );
  }
}

/** Interest definitions of a database: `client.databases.interests`. */
export class DatabaseInterests extends APIResource {
  /**
   * Lists the interests defined in a database (`GET /database/{databaseId}/interests`, paged). The
   * database may be given by ID or by name.
   *
   * @example
   * const page = await client.databases.interests.list(12);
   * console.log(page.data.map((i) => `${i.group}/${i.name}`));
   */
  list(databaseId: IdOrName, params?: PageParams, options?: RequestOptions): PageRequest<DatabaseInterest> {
    return this._pages(() => this._list(path`/database/${dbRef(databaseId)}/interests`, DatabaseInterestSchema, { params, options }));
  }

  /**
   * Defines a new interest in a database (`POST /database/{databaseId}/interests`); the new ID is in
   * `.id`. v1 cannot edit or delete interest definitions.
   *
   * @example
   * const { id } = await client.databases.interests.create(12, { name: 'tennis', group: 'sport' });
   */
  async create(databaseId: Id, interest: DatabaseInterestCreateParams, options?: RequestOptions): Promise<CreateResult> {
    const p = path`/database/${dbId(databaseId)}/interests`;
    const body = checkInput(interestCreateSchema, interest, 'interest');
    return this._create(p, { body, options });
  }
}

/** Unsubscribe behaviour of a database: `client.databases.unsubscribe`. */
export class DatabaseUnsubscribe extends APIResource {
  /**
   * Reads what happens to a profile when an unsubscribe comes in (`GET /database/{databaseId}/unsubscribe`).
   * The database may be given by ID or by name. `fields` is `{}` unless `behavior` is `update`.
   *
   * @example
   * const { behavior, fields } = await client.databases.unsubscribe.get('customers');
   */
  async get(databaseId: IdOrName, options?: RequestOptions): Promise<UnsubscribeBehavior> {
    return this._json('GET', path`/database/${dbRef(databaseId)}/unsubscribe`, UnsubscribeBehaviorSchema, { options });
  }

  /**
   * Sets the unsubscribe behaviour of a database (`PUT /database/{databaseId}/unsubscribe`):
   * `nothing`, `remove`, or `update` with the field values to write.
   *
   * @example
   * await client.databases.unsubscribe.update(12, { behavior: 'update', fields: { newsletter: 'no' } });
   */
  async update(databaseId: Id, behavior: UnsubscribeBehaviorUpdate, options?: RequestOptions): Promise<WriteResult> {
    const p = path`/database/${dbId(databaseId)}/unsubscribe`;
    const body = checkInput(unsubscribeWriteSchema, behavior, 'behavior');
    return this._write('PUT', p, { body, options });
  }
}

/** Databases: `client.databases`. v1 has no call to delete a database. */
export class Databases extends APIResource {
  /** Fields of a database. */
  readonly fields: DatabaseFields;
  /** Interest definitions of a database. */
  readonly interests: DatabaseInterests;
  /** Unsubscribe behaviour of a database. */
  readonly unsubscribe: DatabaseUnsubscribe;

  /** @internal */
  constructor(core: Core) {
    super(core);
    this.fields = new DatabaseFields(core);
    this.interests = new DatabaseInterests(core);
    this.unsubscribe = new DatabaseUnsubscribe(core);
  }

  /**
   * Lists the databases of the account with their fields, interests and collections (`GET /databases`, paged).
   *
   * @example
   * for await (const db of client.databases.list()) console.log(db.ID, db.name, db.fields.length);
   */
  list(params?: PageParams, options?: RequestOptions): PageRequest<Database> {
    return this._list('/databases', DatabaseSchema, { params, options });
  }

  /**
   * Fetches one database with its fields, interests and collections (`GET /database/{databaseId}`,
   * numeric ID only).
   *
   * @example
   * const db = await client.databases.get(12);
   */
  async get(databaseId: Id, options?: RequestOptions): Promise<Database> {
    return this._json('GET', path`/database/${dbId(databaseId)}`, DatabaseSchema, { options });
  }

  /**
   * Creates a database (`POST /databases`); the new database ID is in `.id`.
   *
   * @example
   * const { id } = await client.databases.create({ name: 'customers', description: 'All customers' });
   */
  async create(database: DatabaseCreateParams, options?: RequestOptions): Promise<CreateResult> {
    const body = checkInput(databaseCreateSchema, database, 'database');
    return this._create('/databases', { body, options });
  }

  /**
   * Changes the name, description or archived flag of a database (`PUT /database/{databaseId}`).
   * Fields, interests and collections are changed through their own namespaces.
   *
   * @example
   * await client.databases.update(12, { archived: true });
   */
  async update(databaseId: Id, changes: DatabaseUpdateParams, options?: RequestOptions): Promise<WriteResult> {
    const p = path`/database/${dbId(databaseId)}`;
    const body = checkInput(databaseUpdateSchema, changes, 'changes');
    return this._write('PUT', p, { body, options });
  }
}
