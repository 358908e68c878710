/**
 * Views, called selections in the UI (spec/API.md §3.12): rule-based, automatically maintained subsets
 * of a database's profiles. Views nest; deleting a view never deletes profiles.
 */
import { z } from 'zod';
import type { CreateResult, DeleteResult, WriteResult } from '../core/results.js';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/config.js';
import type { PageParams, PageRequest } from '../core/pagination.js';
import { checkInput } from '../core/input.js';
import { idInput, param, path, type Id, type IdOrName } from '../core/path.js';
import { bool, id, model, timestamp } from '../core/schema.js';

/** `lastbuilt` (list pages) or `last-built` (GET view) → `last-built`; `selection` → `view` in `parent-type`. */
function normaliseView(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const { lastbuilt, ...rest } = raw as Record<string, unknown>;
  const out: Record<string, unknown> = { ...rest };
  if (out['last-built'] === undefined) out['last-built'] = lastbuilt ?? null;
  else if (lastbuilt !== undefined) out.lastbuilt = lastbuilt;
  if (typeof out['parent-type'] === 'string' && out['parent-type'].toLowerCase() === 'selection') out['parent-type'] = 'view';
  return out;
}

/** A view (selection), as read. */
export const ViewSchema = model((obj) =>
  z.preprocess(
    normaliseView,
    obj({
      /** View ID. */
      ID: id,
      /** Name of the view. */
      name: z.string(),
      /** Description; `''` when none. */
      description: z.string().default(''),
      /** What the view hangs under: the database or another view (`selection` is read as `view`). */
      'parent-type': z.enum(['database', 'view']),
      /** ID of the parent database or view. */
      'parent-id': id,
      /** Whether views are nested under this one. */
      'has-children': bool.default(false),
      /** Whether other views refer to this one. */
      'has-referred': bool.default(false),
      /** Whether the view has rules. */
      'has-rules': bool.default(false),
      /** The database. */
      database: id,
      /**
       * When the view was last built: read from `lastbuilt` (list pages) or `last-built` (GET view);
       * null when the reply has neither (GET view views) or a zero date.
       */
      'last-built': timestamp,
    }),
  ),
);
/**
 * A view (selection), as read (`GET /database/{id}/views`, `GET /view/{id}`, `GET /view/{id}/views`).
 * Properties other than `ID` and `name` read `undefined` when the reply's value was unusable
 * (loose mode). Equal to the output of `ViewSchema` (test/types/schemas.test-d.ts).
 */
export interface View {
  /** View ID. */
  ID: number;
  /** Name of the view. */
  name: string;
  /** Description; `''` when none. */
  description?: string | undefined;
  /** What the view hangs under: the database or another view (`selection` is read as `view`). */
  'parent-type'?: 'database' | 'view' | undefined;
  /** ID of the parent database or view. */
  'parent-id'?: number | undefined;
  /** Whether views are nested under this one. */
  'has-children'?: boolean | undefined;
  /** Whether other views refer to this one. */
  'has-referred'?: boolean | undefined;
  /** Whether the view has rules. */
  'has-rules'?: boolean | undefined;
  /** ID of the database. */
  database?: number | undefined;
  /**
   * When the view was last built (`YYYY-MM-DD hh:mm:ss`): read from `lastbuilt` (list pages) or
   * `last-built` (GET view); `null` when the reply has neither (GET view views) or a zero date.
   */
  'last-built'?: string | null | undefined;
}

const viewBody = {
  /** Name of the view. */
  name: z.string().trim().min(1),
  /** Free text description. */
  description: z.string(),
  /** Where the view hangs: `database` or `view` (another selection). */
  'parent-type': z.enum(['database', 'view']),
  /** ID of the parent database or view. */
  'parent-id': idInput,
  /** Listed as writable by the pages, though it looks computed. */
  'has-children': z.boolean(),
  /** Listed as writable by the pages, though it looks computed. */
  'has-referred': z.boolean(),
  /** Listed as writable by the pages, though it looks computed. */
  'has-rules': z.boolean(),
};
/** @internal Exported for test/types/schemas.test-d.ts. */
export const viewCreateSchema = z.strictObject({
  ...viewBody,
  description: viewBody.description.optional(),
  'parent-type': viewBody['parent-type'].optional(),
  'parent-id': viewBody['parent-id'].optional(),
  'has-children': viewBody['has-children'].optional(),
  'has-referred': viewBody['has-referred'].optional(),
  'has-rules': viewBody['has-rules'].optional(),
});
/** @internal Exported for test/types/schemas.test-d.ts. */
export const viewUpdateSchema = viewCreateSchema.partial().refine((b) => Object.keys(b).length > 0, 'must change at least one property');
/**
 * `POST /view/{viewId}/views` documents the whole view table. Sent: `name`, `description` and the
 * three `has-*` flags (as `databases`' view create sends them). Not accepted: `parent-type` and
 * `parent-id`: the path already names the parent (a view, the one in the URL); a body naming another
 * parent could only contradict it, so the SDK refuses them with a ValidationError instead.
 */
/** @internal Exported for test/types/schemas.test-d.ts. */
export const createInViewSchema = z.strictObject({
  name: viewBody.name,
  description: viewBody.description.optional(),
  'has-children': viewBody['has-children'].optional(),
  'has-referred': viewBody['has-referred'].optional(),
  'has-rules': viewBody['has-rules'].optional(),
});

/**
 * Fields of a new view. Accepted by the view schema's input (test/types/schemas.test-d.ts); IDs are
 * typed {@link Id} and checked before sending.
 */
export interface ViewCreateParams {
  /** Name of the view (not empty). */
  name: string;
  /** Free text description. */
  description?: string;
  /** Where the view hangs: `database` or `view` (another selection). */
  'parent-type'?: 'database' | 'view';
  /** ID of the parent database or view. */
  'parent-id'?: Id;
  /** Listed as writable by the pages, though it looks computed. */
  'has-children'?: boolean;
  /** Listed as writable by the pages, though it looks computed. */
  'has-referred'?: boolean;
  /** Listed as writable by the pages, though it looks computed. */
  'has-rules'?: boolean;
}
/** Changes to a view: the properties of {@link ViewCreateParams}, at least one of them. */
export type ViewUpdateParams = Partial<ViewCreateParams>;
/**
 * Fields of a new view nested under another view: the parent comes from the path, so
 * `parent-type` and `parent-id` are not accepted.
 */
export type ViewCreateInViewParams = Omit<ViewCreateParams, 'parent-type' | 'parent-id'>;

/**
 * Views (selections): `client.views`. Top-level views are listed and created by database ID, nested
 * views by their parent view's ID (`listInView`, `createInView`); the profiles in a view are
 * `client.profiles.listInView(viewId)`.
 */
export class Views extends APIResource {
  /**
   * The top-level views of a database (paged). The database may be given by ID or name.
   *
   * @example
   * for await (const view of client.views.list(12)) console.log(view.ID, view.name, view['last-built']);
   */
  list(databaseId: IdOrName, params?: PageParams, options?: RequestOptions): PageRequest<View> {
    return this._pages(() =>
      this._list(path`/database/${param.idOrName(databaseId, 'databaseId')}/views`, ViewSchema, { params, options }),
    );
  }

  /**
   * One view.
   *
   * @example
   * const view = await client.views.get(55);
   */
  async get(viewId: Id, options?: RequestOptions): Promise<View> {
    return this._json('GET', path`/view/${param.id(viewId, 'viewId')}`, ViewSchema, { options });
  }

  /**
   * Creates a view directly under a database; the new ID is in `.id`.
   *
   * @example
   * const { id } = await client.views.create(12, { name: 'dutch-customers', description: 'Customers in NL' });
   */
  async create(databaseId: Id, view: ViewCreateParams, options?: RequestOptions): Promise<CreateResult> {
    const body = checkInput(viewCreateSchema, view, 'view');
    return this._create(path`/database/${param.id(databaseId, 'databaseId')}/views`, { body, options });
  }

  /**
   * The views nested directly under a view (`GET /view/{viewId}/views`, paged).
   *
   * @example
   * for await (const child of client.views.listInView(55)) console.log(child.name);
   */
  listInView(viewId: Id, params?: PageParams, options?: RequestOptions): PageRequest<View> {
    return this._pages(() => this._list(path`/view/${param.id(viewId, 'viewId')}/views`, ViewSchema, { params, options }));
  }

  /**
   * Creates a view nested under a view (`POST /view/{viewId}/views`); the new ID is in `.id`.
   *
   * @example
   * const { id } = await client.views.createInView(55, { name: 'dutch-adults' });
   */
  async createInView(viewId: Id, view: ViewCreateInViewParams, options?: RequestOptions): Promise<CreateResult> {
    const body = checkInput(createInViewSchema, view, 'view');
    return this._create(path`/view/${param.id(viewId, 'viewId')}/views`, { body, options });
  }

  /**
   * Edits a view.
   *
   * @example
   * await client.views.update(55, { description: 'Dutch customers' });
   */
  async update(viewId: Id, changes: ViewUpdateParams, options?: RequestOptions): Promise<WriteResult> {
    const body = checkInput(viewUpdateSchema, changes, 'changes');
    return this._write('PUT', path`/view/${param.id(viewId, 'viewId')}`, { body, options });
  }

  /**
   * Deletes a view (and, on the server, what hangs under it); the profiles stay. `removed` is false
   * (status 204) when there was nothing to delete.
   *
   * @example
   * const { removed } = await client.views.delete(55);
   */
  async delete(viewId: Id, options?: RequestOptions): Promise<DeleteResult> {
    return this._delete(path`/view/${param.id(viewId, 'viewId')}`, { options });
  }
}
