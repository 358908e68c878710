/**
 * Minirules: the rules of miniviews, and their conditions (spec/API.md §3.17, §3.18). Same shape and
 * semantics as view rules, applied to the subprofiles of a collection.
 */
import type { CreateResult, DeleteResult, WriteResult } from '../core/results.js';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/config.js';
import type { PageParams, PageRequest } from '../core/pagination.js';
import type { Core } from '../core/transport.js';
import { checkInput } from '../core/input.js';
import { z } from 'zod';
import { param, path, type Id, type IdOrName } from '../core/path.js';
import {
  ConditionSchema,
  RuleSchema,
  conditionBody,
  conditionSegment,
  miniruleUpdateSchema,
  ruleCreateSchema,
  ruleWireBody,
  type Condition,
  type ConditionInput,
  type ConditionType,
  type Rule,
  type RuleCreateParams,
} from './conditions.js';

/** A minirule of a miniview, as read (same shape as a view rule; `view` is the miniview). */
export type Minirule = Rule;
/**
 * Which of the two documented paths a minirule call sends, where the index and the page differ
 * (spec/API.md §4.1 items 4 and 5). `'page'` (default): the path the page documents
 * (`/miniview/{id}/minirule/{id}`, `/miniview/{id}/minirules`). `'index'`: the index form
 * (`/miniview/{id}/rule/{id}`, `/miniview/{id}/rules`).
 */
export type MinirulePathForm = 'page' | 'index';

/** Fields of a new minirule, and (not sent) which path to send it to. */
export interface MiniruleCreateParams extends RuleCreateParams {
  /** The page's path (default) or the index's (see {@link MinirulePathForm}). Not part of the body. */
  pathForm?: MinirulePathForm;
}
/** Changes to a minirule; at least one property (PUT /minirule/{id} lists no `description`). */
export type MiniruleUpdateParams = Partial<RuleCreateParams>;

/** Parameters of `client.minirules.getInMiniview()`. */
export interface MiniruleGetInMiniviewParams {
  /** The page's path (default) or the index's (see {@link MinirulePathForm}). */
  pathForm?: MinirulePathForm;
}

const pathForm = z.enum(['page', 'index'], { error: 'must be "page" or "index"' }).optional();
/** @internal Exported for test/types/schemas.test-d.ts. */
export const miniruleCreateSchema = ruleCreateSchema.extend({ pathForm });
const getInMiniviewSchema = z.strictObject({ pathForm });

/** Conditions of a minirule: `client.minirules.conditions`. */
export class MiniruleConditions extends APIResource {
  /**
   * The conditions of a minirule (`GET /minirule/{miniruleId}/conditions`, a bare array: `await`
   * gives one page holding all of them).
   *
   * @example
   * const { data: conditions } = await client.minirules.conditions.list(91);
   */
  list(miniruleId: IdOrName, options?: RequestOptions): PageRequest<Condition> {
    return this._pages(() =>
      this._list(path`/minirule/${param.idOrName(miniruleId, 'miniruleId')}/conditions`, ConditionSchema, { options, paged: false }),
    );
  }

  /**
   * Adds a condition to a minirule (the type is sent in the catalogue spelling). The minirule pages
   * leave `Export` out of their type lists; the SDK does not forbid it.
   *
   * @example
   * await client.minirules.conditions.create(91, { type: 'Field', field: 'amount', comparison: 'more', value: 100, 'numeric-comparison': true });
   */
  async create(miniruleId: IdOrName, condition: ConditionInput, options?: RequestOptions): Promise<CreateResult> {
    const body = conditionBody(condition);
    return this._create(path`/minirule/${param.idOrName(miniruleId, 'miniruleId')}/conditions`, { body, options });
  }

  /**
   * Edits a condition of a minirule, addressed by type (any case; sent in the catalogue spelling)
   * or by numeric condition ID. Sent as PUT, as in the index.
   *
   * @example
   * await client.minirules.conditions.update(91, 'Field', { type: 'Field', value: 200 });
   */
  async update(
    miniruleId: IdOrName,
    typeOrId: ConditionType | number,
    condition: ConditionInput,
    options?: RequestOptions,
  ): Promise<WriteResult> {
    const segment = conditionSegment(typeOrId, 'typeOrId');
    const body = conditionBody(condition);
    return this._write('PUT', path`/minirule/${param.idOrName(miniruleId, 'miniruleId')}/conditions/${segment}`, { body, options });
  }
}

/** Minirules of miniviews: `client.minirules`. */
export class Minirules extends APIResource {
  /** Conditions of a minirule. */
  readonly conditions: MiniruleConditions;

  /** @internal */
  constructor(core: Core) {
    super(core);
    this.conditions = new MiniruleConditions(core);
  }

  /**
   * The minirules of a miniview (paged). `ID` and `inverted` are normalised from `id`/`inversed`.
   *
   * @example
   * for await (const rule of client.minirules.list(81)) console.log(rule.name);
   */
  list(miniviewId: Id, params?: PageParams, options?: RequestOptions): PageRequest<Minirule> {
    return this._pages(() => this._list(path`/miniview/${param.id(miniviewId, 'miniviewId')}/rules`, RuleSchema, { params, options }));
  }

  /**
   * One minirule by its ID (the page also allows its name).
   *
   * @example
   * const rule = await client.minirules.get(91);
   */
  async get(miniruleId: IdOrName, options?: RequestOptions): Promise<Minirule> {
    return this._json('GET', path`/minirule/${param.idOrName(miniruleId, 'miniruleId')}`, RuleSchema, { options });
  }

  /**
   * One minirule of a given miniview. Sends the page's path `/miniview/{id}/minirule/{id}` by
   * default; `{ pathForm: 'index' }` (params) sends the index's `/miniview/{id}/rule/{id}` (spec/API.md §4.1 item 4).
   *
   * @example
   * const rule = await client.minirules.getInMiniview(81, 91);
   */
  async getInMiniview(miniviewId: Id, miniruleId: Id, params?: MiniruleGetInMiniviewParams, options?: RequestOptions): Promise<Minirule> {
    const mv = param.id(miniviewId, 'miniviewId');
    const mr = param.id(miniruleId, 'miniruleId');
    const { pathForm: form } = checkInput(getInMiniviewSchema, params ?? {}, 'params');
    const p = form === 'index' ? path`/miniview/${mv}/rule/${mr}` : path`/miniview/${mv}/minirule/${mr}`;
    return this._json('GET', p, RuleSchema, { options });
  }

  /**
   * Adds a minirule to a miniview; the new ID is in `.id`. Sends the page's path
   * `/miniview/{id}/minirules` by default; `pathForm: 'index'` sends the index's
   * `/miniview/{id}/rules` (spec/API.md §4.1 item 5). `inverted` is sent as `inverted`.
   *
   * @example
   * const { id } = await client.minirules.create(81, {
   *   name: 'big',
   *   conditions: [{ type: 'Field', field: 'amount', comparison: 'more', value: 100, 'numeric-comparison': true }],
   * });
   */
  async create(miniviewId: Id, rule: MiniruleCreateParams, options?: RequestOptions): Promise<CreateResult> {
    const mv = param.id(miniviewId, 'miniviewId');
    const { pathForm: form, ...fields } = checkInput(miniruleCreateSchema, rule, 'rule');
    const body = ruleWireBody(fields, 'inverted');
    const p = form === 'index' ? path`/miniview/${mv}/rules` : path`/miniview/${mv}/minirules`;
    return this._create(p, { body, options });
  }

  /**
   * Edits a minirule. `inverted` is sent as `inverted`, the spelling of the PUT minirule page.
   *
   * @example
   * await client.minirules.update(91, { inverted: true });
   */
  async update(miniruleId: Id, changes: MiniruleUpdateParams, options?: RequestOptions): Promise<WriteResult> {
    const body = ruleWireBody(checkInput(miniruleUpdateSchema, changes, 'changes'), 'inverted');
    return this._write('PUT', path`/minirule/${param.id(miniruleId, 'miniruleId')}`, { body, options });
  }

  /**
   * Deletes a minirule. `removed` is false (status 204) when there was nothing to delete.
   *
   * @example
   * await client.minirules.delete(91);
   */
  async delete(miniruleId: Id, options?: RequestOptions): Promise<DeleteResult> {
    return this._delete(path`/minirule/${param.id(miniruleId, 'miniruleId')}`, { options });
  }
}
