/**
 * Miniviews, called miniselections in the UI (spec/API.md §3.16): to a collection what a view is to a
 * database, a rule-based subset of subprofiles. Their rules are minirules (`client.minirules`).
 */
import { z } from 'zod';
import { APIResource, type DeleteResult } from '../core/resource.js';
import type { RequestOptions } from '../core/config.js';
import type { PageParams, PageRequest } from '../core/pagination.js';
import type { WriteResult } from '../core/transport.js';
import { checkInput } from '../core/input.js';
import { filterExpressions, type FilterInput } from '../core/filter.js';
import { param, path, toId, type Id } from '../core/path.js';
import { id, model } from '../core/schema.js';
import { SubprofileModel, type Subprofile } from './subprofiles.js';
import type { RecordFieldValues } from './records.js';

/** `view` in `parent-type` (GET miniview's wording) → `miniview`: a miniview's parent is its collection or another miniview. */
function normaliseMiniview(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const out: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  const t = out['parent-type'];
  if (typeof t === 'string' && /^(view|miniview|selection|miniselection)$/i.test(t)) out['parent-type'] = 'miniview';
  else if (typeof t === 'string' && t.toLowerCase() === 'collection') out['parent-type'] = 'collection';
  return out;
}

/** A miniview (miniselection), as read. */
export const MiniviewSchema = model((obj) =>
  z.preprocess(
    normaliseMiniview,
    obj({
      /** Miniview ID. */
      ID: id,
      /** Name of the miniview. */
      name: z.string(),
      /** Description; `''` when none. */
      description: z.string().default(''),
      /** What the miniview hangs under: its collection, or another miniview (read also from `view`). */
      'parent-type': z.enum(['collection', 'miniview']),
      /** ID of the parent collection or miniview. */
      'parent-id': id,
      /** The collection. */
      collection: id,
    }),
  ),
);
/** A miniview (miniselection). */
export type Miniview = z.output<(typeof MiniviewSchema)['loose']>;

const parentIdInput = z.union([z.number(), z.string()]).transform((v, ctx) => {
  try {
    return toId(v, 'parent-id');
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a positive integer ID' });
    return z.NEVER;
  }
});

const miniviewCreateSchema = z.strictObject({
  /** Name of the miniview. */
  name: z.string().trim().min(1),
  /** Free text description. */
  description: z.string().optional(),
  /** `collection` (default) or `miniview` (nest under another miniview of the same collection, given in `parent-id`). */
  'parent-type': z.enum(['collection', 'miniview']).optional(),
  'parent-id': parentIdInput.optional(),
});
const miniviewUpdateSchema = miniviewCreateSchema.partial().refine((b) => Object.keys(b).length > 0, 'must change at least one property');

/** Fields of a new miniview. */
export type MiniviewCreateParams = z.input<typeof miniviewCreateSchema>;
/** Changes to a miniview; at least one property. */
export type MiniviewUpdateParams = z.input<typeof miniviewUpdateSchema>;

/** Parameters of `miniviews.subprofiles()`. */
export interface MiniviewSubprofilesParams {
  /** `fields[]` conditions (ANDed): a `where.*()` filter, a raw expression such as `'amount>100'`, or an array of them. */
  where?: FilterInput;
}

const subprofilesParamsSchema = z.strictObject({ where: z.unknown().optional() });

const idList = z.union([z.array(id), z.looseObject({ data: z.array(id) }).transform((e) => e.data)]);

/** Miniviews (miniselections) of collections: `client.miniviews`. */
export class Miniviews extends APIResource {
  /**
   * The miniviews of a collection (paged).
   *
   * @example
   * for await (const mv of client.miniviews.list(33)) console.log(mv.ID, mv.name);
   */
  list(collectionId: Id, params?: PageParams, options?: RequestOptions): PageRequest<Miniview> {
    return this._pages(() => this._list(path`/collection/${param.id(collectionId, 'collectionId')}/miniviews`, MiniviewSchema, { params, options }));
  }

  /**
   * One miniview.
   *
   * @example
   * const mv = await client.miniviews.get(81);
   */
  async get(miniviewId: Id, options?: RequestOptions): Promise<Miniview> {
    return this._json('GET', path`/miniview/${param.id(miniviewId, 'miniviewId')}`, MiniviewSchema, { options });
  }

  /**
   * Creates a miniview on a collection; the new ID is in `.id`. To nest it under another miniview,
   * pass `'parent-type': 'miniview'` and its `'parent-id'` (the pages document no other way).
   *
   * @example
   * const { id } = await client.miniviews.create(33, { name: 'big-orders' });
   */
  async create(collectionId: Id, miniview: MiniviewCreateParams, options?: RequestOptions): Promise<WriteResult> {
    const body = checkInput(miniviewCreateSchema, miniview, 'miniview');
    return this._write('POST', path`/collection/${param.id(collectionId, 'collectionId')}/miniviews`, { body, options });
  }

  /**
   * Edits a miniview.
   *
   * @example
   * await client.miniviews.update(81, { description: 'Orders above 100' });
   */
  async update(miniviewId: Id, changes: MiniviewUpdateParams, options?: RequestOptions): Promise<WriteResult> {
    const body = checkInput(miniviewUpdateSchema, changes, 'changes');
    return this._write('PUT', path`/miniview/${param.id(miniviewId, 'miniviewId')}`, { body, options });
  }

  /**
   * Deletes a miniview; its subprofiles stay. `removed` is false (status 204) when there was nothing to delete.
   *
   * @example
   * await client.miniviews.delete(81);
   */
  async delete(miniviewId: Id, options?: RequestOptions): Promise<DeleteResult> {
    return this._delete(path`/miniview/${param.id(miniviewId, 'miniviewId')}`, { options });
  }

  /**
   * The subprofiles in a miniview, optionally filtered with `where`. The page documents a bare
   * array and no paging, so the SDK sends no paging parameters; the result is one page holding
   * every match (an envelope is decoded too). The page's lower-case `id` is read as `ID`. `F` types
   * the field map.
   *
   * @example
   * const page = await client.miniviews.subprofiles(81, { where: 'amount>100' });
   * for (const s of page.data) console.log(s.ID, s.profile, s.fields.amount);
   */
  subprofiles<F extends object = RecordFieldValues>(miniviewId: Id, params?: MiniviewSubprofilesParams, options?: RequestOptions): PageRequest<Subprofile<F>> {
    return this._pages(() => {
      const p = path`/miniview/${param.id(miniviewId, 'miniviewId')}/subprofiles`;
      checkInput(subprofilesParamsSchema, params ?? {}, 'params');
      const fields = filterExpressions(params?.where, 'params.where');
      const query = { 'fields[]': fields.length ? fields : undefined };
      return this._list(p, SubprofileModel, { query, options, paged: false }) as unknown as PageRequest<Subprofile<F>>;
    });
  }

  /**
   * The IDs of the subprofiles in a miniview (a bare array, all at once).
   *
   * @example
   * const ids = await client.miniviews.subprofileIds(81);
   */
  async subprofileIds(miniviewId: Id, options?: RequestOptions): Promise<number[]> {
    return this._json('GET', path`/miniview/${param.id(miniviewId, 'miniviewId')}/subprofileids`, idList, { options });
  }
}
