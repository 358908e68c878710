/**
 * Minirules: the rules of miniviews, and their conditions (spec/API.md §3.17, §3.18). Same shape and
 * semantics as view rules, applied to the subprofiles of a collection.
 */
import { APIResource, type DeleteResult } from '../core/resource.js';
import { checkRequestOptions, type RequestOptions } from '../core/config.js';
import type { PageParams, PageRequest } from '../core/pagination.js';
import type { Core, WriteResult } from '../core/transport.js';
import { checkInput } from '../core/input.js';
import { ValidationError } from '../core/errors.js';
import { param, path, type Id, type IdOrName } from '../core/path.js';
import {
  ConditionListSchema, RuleSchema, conditionBody, conditionSegment, miniruleUpdateSchema, ruleCreateSchema, ruleWireBody,
  type Condition, type ConditionInput, type ConditionType, type Rule, type RuleCreateParams,
} from './conditions.js';

/** A minirule of a miniview, as read (same shape as a view rule; `view` is the miniview). */
export type Minirule = Rule;
/** Fields of a new minirule. */
export type MiniruleCreateParams = RuleCreateParams;
/** Changes to a minirule; at least one property (PUT /minirule/{id} lists no `description`). */
export type MiniruleUpdateParams = Partial<RuleCreateParams>;

/**
 * Options of the two minirule calls whose path differs between the index and the page
 * (spec/API.md §4.1 items 4 and 5).
 */
export interface MiniruleRouteOptions extends RequestOptions {
  /**
   * `'page'` (default): the path the page documents (`/miniview/{id}/minirule/{id}`,
   * `/miniview/{id}/minirules`). `'index'`: the index form (`/miniview/{id}/rule/{id}`, `/miniview/{id}/rules`).
   */
  pathForm?: 'page' | 'index';
}

function splitRouteOptions(options: MiniruleRouteOptions | undefined): { form: 'page' | 'index'; options: RequestOptions | undefined } {
  if (options === undefined) return { form: 'page', options: undefined };
  const { pathForm, ...rest } = options;
  if (pathForm !== undefined && pathForm !== 'page' && pathForm !== 'index') {
    throw new ValidationError('Invalid options: pathForm: must be "page" or "index"', ['options.pathForm: must be "page" or "index"']);
  }
  return { form: pathForm ?? 'page', options: checkRequestOptions(rest) };
}

/** Conditions of a minirule: `client.minirules.conditions`. */
export class MiniruleConditions extends APIResource {
  /**
   * The conditions of a minirule (a bare array).
   *
   * @example
   * const conditions = await client.minirules.conditions.list(91);
   */
  async list(miniruleId: IdOrName, options?: RequestOptions): Promise<Condition[]> {
    return this._json('GET', path`/minirule/${param.idOrName(miniruleId, 'miniruleId')}/conditions`, ConditionListSchema, { options });
  }

  /**
   * Adds a condition to a minirule (the type is sent in the catalogue spelling). The minirule pages
   * leave `Export` out of their type lists; the SDK does not forbid it.
   *
   * @example
   * await client.minirules.conditions.create(91, { type: 'Field', field: 'amount', comparison: 'more', value: 100, 'numeric-comparison': true });
   */
  async create(miniruleId: IdOrName, condition: ConditionInput, options?: RequestOptions): Promise<WriteResult> {
    const body = conditionBody(condition);
    return this._write('POST', path`/minirule/${param.idOrName(miniruleId, 'miniruleId')}/conditions`, { body, options });
  }

  /**
   * Edits a condition of a minirule, addressed by type (any case; sent in the catalogue spelling)
   * or by numeric condition ID. Sent as PUT, as in the index.
   *
   * @example
   * await client.minirules.conditions.update(91, 'Field', { type: 'Field', value: 200 });
   */
  async update(miniruleId: IdOrName, typeOrId: ConditionType | number, condition: ConditionInput, options?: RequestOptions): Promise<WriteResult> {
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
   * default; `{ pathForm: 'index' }` sends the index's `/miniview/{id}/rule/{id}` (spec/API.md §4.1 item 4).
   *
   * @example
   * const rule = await client.minirules.getInMiniview(81, 91);
   */
  async getInMiniview(miniviewId: Id, miniruleId: Id, options?: MiniruleRouteOptions): Promise<Minirule> {
    const mv = param.id(miniviewId, 'miniviewId');
    const mr = param.id(miniruleId, 'miniruleId');
    const { form, options: rest } = splitRouteOptions(options);
    const p = form === 'index' ? path`/miniview/${mv}/rule/${mr}` : path`/miniview/${mv}/minirule/${mr}`;
    return this._json('GET', p, RuleSchema, { options: rest });
  }

  /**
   * Adds a minirule to a miniview; the new ID is in `.id`. Sends the page's path
   * `/miniview/{id}/minirules` by default; `{ pathForm: 'index' }` sends the index's
   * `/miniview/{id}/rules` (spec/API.md §4.1 item 5). `inverted` is sent as `inverted`.
   *
   * @example
   * const { id } = await client.minirules.create(81, {
   *   name: 'big',
   *   conditions: [{ type: 'Field', field: 'amount', comparison: 'more', value: 100, 'numeric-comparison': true }],
   * });
   */
  async create(miniviewId: Id, rule: MiniruleCreateParams, options?: MiniruleRouteOptions): Promise<WriteResult> {
    const mv = param.id(miniviewId, 'miniviewId');
    const body = ruleWireBody(checkInput(ruleCreateSchema, rule, 'rule'), 'inverted');
    const { form, options: rest } = splitRouteOptions(options);
    const p = form === 'index' ? path`/miniview/${mv}/rules` : path`/miniview/${mv}/minirules`;
    return this._write('POST', p, { body, options: rest });
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
