/**
 * Miniviews, called miniselections in the UI (spec/API.md §3.16): to a collection what a view is to a
 * database, a rule-based subset of subprofiles. Their rules are minirules (`client.minirules`).
 */
import { z } from 'zod';
import type { CreateResult, DeleteResult, WriteResult } from '../core/results.js';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/config.js';
import type { PageParams, PageRequest } from '../core/pagination.js';
import { checkInput } from '../core/input.js';
import { idInput, param, path, type Id } from '../core/path.js';
import { id, model } from '../core/schema.js';

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
/**
 * A miniview (miniselection), as read (`GET /collection/{id}/miniviews`, `GET /miniview/{id}`).
 * Properties other than `ID` and `name` read `undefined` when the reply's value was unusable
 * (loose mode). Equal to the output of `MiniviewSchema` (test/types/schemas.test-d.ts).
 */
export interface Miniview {
  /** Miniview ID. */
  ID: number;
  /** Name of the miniview. */
  name: string;
  /** Description; `''` when none. */
  description?: string | undefined;
  /** What the miniview hangs under: its collection, or another miniview (read also from `view`). */
  'parent-type'?: 'collection' | 'miniview' | undefined;
  /** ID of the parent collection or miniview. */
  'parent-id'?: number | undefined;
  /** ID of the collection. */
  collection?: number | undefined;
}

/** @internal Exported for test/types/schemas.test-d.ts. */
export const miniviewCreateSchema = z.strictObject({
  /** Name of the miniview. */
  name: z.string().trim().min(1),
  /** Free text description. */
  description: z.string().optional(),
  /** `collection` (default) or `miniview` (nest under another miniview of the same collection, given in `parent-id`). */
  'parent-type': z.enum(['collection', 'miniview']).optional(),
  'parent-id': idInput.optional(),
});
/** @internal Exported for test/types/schemas.test-d.ts. */
export const miniviewUpdateSchema = miniviewCreateSchema
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'must change at least one property');

/**
 * Fields of a new miniview. Accepted by the miniview schema's input (test/types/schemas.test-d.ts);
 * IDs are typed {@link Id} and checked before sending.
 */
export interface MiniviewCreateParams {
  /** Name of the miniview (not empty). */
  name: string;
  /** Free text description. */
  description?: string;
  /** `collection` (default) or `miniview` (nest under another miniview of the same collection, given in `parent-id`). */
  'parent-type'?: 'collection' | 'miniview';
  /** ID of the parent miniview (with `parent-type: 'miniview'`). */
  'parent-id'?: Id;
}
/** Changes to a miniview: the properties of {@link MiniviewCreateParams}, at least one of them. */
export type MiniviewUpdateParams = Partial<MiniviewCreateParams>;

/** Miniviews (miniselections) of collections: `client.miniviews`. The subprofiles in a miniview are `client.subprofiles.listInMiniview(miniviewId)`. */
export class Miniviews extends APIResource {
  /**
   * The miniviews of a collection (paged).
   *
   * @example
   * for await (const mv of client.miniviews.list(33)) console.log(mv.ID, mv.name);
   */
  list(collectionId: Id, params?: PageParams, options?: RequestOptions): PageRequest<Miniview> {
    return this._pages(() =>
      this._list(path`/collection/${param.id(collectionId, 'collectionId')}/miniviews`, MiniviewSchema, { params, options }),
    );
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
  async create(collectionId: Id, miniview: MiniviewCreateParams, options?: RequestOptions): Promise<CreateResult> {
    const body = checkInput(miniviewCreateSchema, miniview, 'miniview');
    return this._create(path`/collection/${param.id(collectionId, 'collectionId')}/miniviews`, { body, options });
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
}
