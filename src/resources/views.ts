/**
 * Views, called selections in the UI (spec/API.md §3.12): rule-based, automatically maintained subsets
 * of a database's profiles. Views nest; deleting a view never deletes profiles.
 */
import { z } from 'zod';
import { APIResource, type DeleteResult } from '../core/resource.js';
import type { RequestOptions } from '../core/config.js';
import type { PageParams, PageRequest } from '../core/pagination.js';
import type { Core, WriteResult } from '../core/transport.js';
import { checkInput } from '../core/input.js';
import { param, path, toId, type Id, type IdOrName } from '../core/path.js';
import { bool, id, model, timestamp } from '../core/schema.js';
import { ProfileModel, type Profile, type ProfileListParams } from './profiles.js';
import { recordList, type RecordFieldValues, type RecordListInput } from './records.js';

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
/** A view (selection). */
export type View = z.output<(typeof ViewSchema)['loose']>;

const viewIdInput = z.union([z.number(), z.string()]).transform((v, ctx) => {
  try {
    return toId(v, 'parent-id');
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a positive integer ID' });
    return z.NEVER;
  }
});

const viewBody = {
  /** Name of the view. */
  name: z.string().trim().min(1),
  /** Free text description. */
  description: z.string(),
  /** Where the view hangs: `database` or `view` (another selection). */
  'parent-type': z.enum(['database', 'view']),
  /** ID of the parent database or view. */
  'parent-id': viewIdInput,
  /** Listed as writable by the pages, though it looks computed. */
  'has-children': z.boolean(),
  /** Listed as writable by the pages, though it looks computed. */
  'has-referred': z.boolean(),
  /** Listed as writable by the pages, though it looks computed. */
  'has-rules': z.boolean(),
};
const viewCreateSchema = z.strictObject({
  ...viewBody,
  description: viewBody.description.optional(),
  'parent-type': viewBody['parent-type'].optional(),
  'parent-id': viewBody['parent-id'].optional(),
  'has-children': viewBody['has-children'].optional(),
  'has-referred': viewBody['has-referred'].optional(),
  'has-rules': viewBody['has-rules'].optional(),
});
const viewUpdateSchema = viewCreateSchema.partial().refine((b) => Object.keys(b).length > 0, 'must change at least one property');
/**
 * `POST /view/{viewId}/views` documents the whole view table. Sent: `name`, `description` and the
 * three `has-*` flags (as `databases`' view create sends them). Not accepted: `parent-type` and
 * `parent-id`: the path already names the parent (a view, the one in the URL); a body naming another
 * parent could only contradict it, so the SDK refuses them with a ValidationError instead.
 */
const childViewCreateSchema = z.strictObject({
  name: viewBody.name,
  description: viewBody.description.optional(),
  'has-children': viewBody['has-children'].optional(),
  'has-referred': viewBody['has-referred'].optional(),
  'has-rules': viewBody['has-rules'].optional(),
});

/** Fields of a new view. */
export type ViewCreateParams = z.input<typeof viewCreateSchema>;
/** Changes to a view; at least one property. */
export type ViewUpdateParams = z.input<typeof viewUpdateSchema>;
/** Fields of a new view nested under another view (the parent comes from the path). */
export type ChildViewCreateParams = z.input<typeof childViewCreateSchema>;


/** Views nested under a view: `client.views.views`. */
export class ChildViews extends APIResource {
  /**
   * The views nested directly under a view (paged).
   *
   * @example
   * for await (const child of client.views.views.list(55)) console.log(child.name);
   */
  list(viewId: Id, params?: PageParams, options?: RequestOptions): PageRequest<View> {
    return this._pages(() => this._list(path`/view/${param.id(viewId, 'viewId')}/views`, ViewSchema, { params, options }));
  }

  /**
   * Creates a view nested under a view; the new ID is in `.id`.
   *
   * @example
   * const { id } = await client.views.views.create(55, { name: 'dutch-adults' });
   */
  async create(viewId: Id, view: ChildViewCreateParams, options?: RequestOptions): Promise<WriteResult> {
    const body = checkInput(childViewCreateSchema, view, 'view');
    return this._write('POST', path`/view/${param.id(viewId, 'viewId')}/views`, { body, options });
  }
}

/** Views (selections): `client.views`. */
export class Views extends APIResource {
  /** Views nested under a view. */
  readonly views: ChildViews;

  /** @internal */
  constructor(core: Core) {
    super(core);
    this.views = new ChildViews(core);
  }

  /**
   * The top-level views of a database (paged). The database may be given by ID or name.
   *
   * @example
   * for await (const view of client.views.list(12)) console.log(view.ID, view.name, view['last-built']);
   */
  list(databaseId: IdOrName, params?: PageParams, options?: RequestOptions): PageRequest<View> {
    return this._pages(() => this._list(path`/database/${param.idOrName(databaseId, 'databaseId')}/views`, ViewSchema, { params, options }));
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
  async create(databaseId: Id, view: ViewCreateParams, options?: RequestOptions): Promise<WriteResult> {
    const body = checkInput(viewCreateSchema, view, 'view');
    return this._write('POST', path`/database/${param.id(databaseId, 'databaseId')}/views`, { body, options });
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

  /**
   * The profiles in a view: the same parameters and iteration modes as `client.profiles.list()`
   * (`where` filters, `orderBy`/`order`, paging, `iterate: 'key'`). `F` types the field map.
   *
   * @example
   * import { where } from 'copernica-rest';
   * for await (const p of client.views.profiles<{ country: string }>(55, { where: where.gte('age', 18), orderBy: 'modified', order: 'desc' })) {
   *   console.log(p.ID, p.fields.country);
   * }
   */
  profiles<F extends object = RecordFieldValues>(viewId: Id, params?: ProfileListParams<F>, options?: RequestOptions): PageRequest<Profile<F>> {
    return this._pages(() => {
      const p = path`/view/${param.id(viewId, 'viewId')}/profiles`;
      return recordList<Profile>(params as RecordListInput | undefined, (query, paging) =>
        this._list(p, ProfileModel, { query, params: paging, options }),
      ) as unknown as PageRequest<Profile<F>>;
    });
  }

  /**
   * The IDs of the profiles in a view (a bare array, all at once).
   *
   * @example
   * const ids = await client.views.profileIds(55);
   */
  async profileIds(viewId: Id, options?: RequestOptions): Promise<number[]> {
    return this._json('GET', path`/view/${param.id(viewId, 'viewId')}/profileids`, idList, { options });
  }
}

const idList = z.union([z.array(id), z.looseObject({ data: z.array(id) }).transform((e) => e.data)]);
