/**
 * Rules of views (selections) and their conditions (spec/API.md §3.13, §3.14). A view holds the profiles
 * that match at least one enabled rule; a profile matches a rule when it satisfies all of the
 * rule's conditions (negated when the rule is `inverted`).
 */
import type { CreateResult, DeleteResult, WriteResult } from '../core/results.js';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/config.js';
import type { PageParams, PageRequest } from '../core/pagination.js';
import type { Core } from '../core/transport.js';
import { checkInput } from '../core/input.js';
import { param, path, type Id, type IdOrName } from '../core/path.js';
import {
  ConditionSchema,
  RuleSchema,
  conditionBody,
  conditionSegment,
  ruleCreateSchema,
  ruleUpdateSchema,
  ruleWireBody,
  type Condition,
  type ConditionInput,
  type ConditionType,
  type Rule,
  type RuleCreateParams,
  type RuleUpdateParams,
} from './conditions.js';

export type {
  Condition,
  ConditionInput,
  ConditionInputOf,
  ConditionType,
  Rule,
  RuleCreateParams,
  RuleUpdateParams,
  ChangeCondition,
  DateCondition,
  DoubleFieldCondition,
  EmailCondition,
  ExportCondition,
  FaxCondition,
  FieldCondition,
  InterestCondition,
  LastContactCondition,
  MiniViewCondition,
  PartCondition,
  ReferViewCondition,
  SmsCondition,
  SurveyCondition,
  ToDoCondition,
  FieldConditionComparison,
  ChangeConditionChangeType,
  MailingConditionMatchMode,
  InterestConditionMatchMode,
  EmailConditionResult,
  DoubleFieldConditionMatchMode,
  SurveyConditionSubmitter,
  ConditionBase,
  ConditionInputBase,
  ConditionTimeWindow,
  ConditionTimeWindowInput,
  MailingConditionProperties,
  MailingConditionPropertiesInput,
  ContactConditionProperties,
  ContactConditionPropertiesInput,
  ChangeConditionInput,
  DateConditionInput,
  DoubleFieldConditionInput,
  EmailConditionInput,
  ExportConditionInput,
  FaxConditionInput,
  FieldConditionInput,
  InterestConditionInput,
  LastContactConditionInput,
  MiniViewConditionInput,
  PartConditionInput,
  ReferViewConditionInput,
  SmsConditionInput,
  SurveyConditionInput,
  ToDoConditionInput,
} from './conditions.js';

/** Conditions of a rule: `client.rules.conditions`. */
export class RuleConditions extends APIResource {
  /**
   * The conditions of a rule (`GET /rule/{ruleId}/conditions`, a bare array: `await` gives one page
   * holding all of them; `for await` gives each).
   *
   * @example
   * for await (const c of client.rules.conditions.list(70)) if (c.type === 'Field') console.log(c.field, c.comparison, c.value);
   */
  list(ruleId: IdOrName, options?: RequestOptions): PageRequest<Condition> {
    return this._pages(() =>
      this._list(path`/rule/${param.idOrName(ruleId, 'ruleId')}/conditions`, ConditionSchema, { options, paged: false }),
    );
  }

  /**
   * Adds a condition to a rule. The type name is sent in the catalogue spelling (`Field`, `Sms`).
   *
   * @example
   * const { id } = await client.rules.conditions.create(70, { type: 'Field', field: 'country', comparison: 'equals', value: 'nl' });
   */
  async create(ruleId: IdOrName, condition: ConditionInput, options?: RequestOptions): Promise<CreateResult> {
    const body = conditionBody(condition);
    return this._create(path`/rule/${param.idOrName(ruleId, 'ruleId')}/conditions`, { body, options });
  }

  /**
   * Edits a condition of a rule. The index addresses it by type (`conditions/{type}`); the page's
   * printed URL addresses it by ID (`conditions/{id}`). Pass a type name (any case; sent in the
   * catalogue spelling) or a numeric condition ID: use the ID when the rule holds several
   * conditions of the same type. The method is PUT, as in the index (the page says POST).
   *
   * @example
   * await client.rules.conditions.update(70, 'Field', { type: 'Field', value: 'de' });
   */
  async update(ruleId: Id, typeOrId: ConditionType | number, condition: ConditionInput, options?: RequestOptions): Promise<WriteResult> {
    const segment = conditionSegment(typeOrId, 'typeOrId');
    const body = conditionBody(condition);
    return this._write('PUT', path`/rule/${param.id(ruleId, 'ruleId')}/conditions/${segment}`, { body, options });
  }
}

/** Rules of views: `client.rules`. */
export class Rules extends APIResource {
  /** Conditions of a rule. */
  readonly conditions: RuleConditions;

  /** @internal */
  constructor(core: Core) {
    super(core);
    this.conditions = new RuleConditions(core);
  }

  /**
   * The rules of a view, with their conditions (paged). `ID` and `inverted` are normalised from the
   * list page's `id` and `inversed`.
   *
   * @example
   * for await (const rule of client.rules.list(55)) console.log(rule.ID, rule.name, rule.inverted);
   */
  list(viewId: Id, params?: PageParams, options?: RequestOptions): PageRequest<Rule> {
    return this._pages(() => this._list(path`/view/${param.id(viewId, 'viewId')}/rules`, RuleSchema, { params, options }));
  }

  /**
   * One rule by its ID (the page also allows its name).
   *
   * @example
   * const rule = await client.rules.get(70);
   */
  async get(ruleId: IdOrName, options?: RequestOptions): Promise<Rule> {
    return this._json('GET', path`/rule/${param.idOrName(ruleId, 'ruleId')}`, RuleSchema, { options });
  }

  /**
   * One rule of a given view (`GET /view/{viewId}/rule/{ruleId}`).
   *
   * @example
   * const rule = await client.rules.getInView(55, 70);
   */
  async getInView(viewId: Id, ruleId: Id, options?: RequestOptions): Promise<Rule> {
    return this._json('GET', path`/view/${param.id(viewId, 'viewId')}/rule/${param.id(ruleId, 'ruleId')}`, RuleSchema, { options });
  }

  /**
   * Adds a rule to a view; the new rule's ID is in `.id`. `inverted` is sent as `inverted`, the
   * spelling of the POST page; every condition is validated before anything is sent.
   *
   * @example
   * const { id } = await client.rules.create(55, {
   *   name: 'dutch',
   *   conditions: [{ type: 'Field', field: 'country', comparison: 'equals', value: 'netherlands' }],
   * });
   */
  async create(viewId: Id, rule: RuleCreateParams, options?: RequestOptions): Promise<CreateResult> {
    const body = ruleWireBody(checkInput(ruleCreateSchema, rule, 'rule'), 'inverted');
    return this._create(path`/view/${param.id(viewId, 'viewId')}/rules`, { body, options });
  }

  /**
   * Edits a rule. `inverted` is sent as `inversed`, the spelling of the PUT rule page.
   *
   * @example
   * await client.rules.update(70, { disabled: true });
   */
  async update(ruleId: Id, changes: RuleUpdateParams, options?: RequestOptions): Promise<WriteResult> {
    const body = ruleWireBody(checkInput(ruleUpdateSchema, changes, 'changes'), 'inversed');
    return this._write('PUT', path`/rule/${param.id(ruleId, 'ruleId')}`, { body, options });
  }

  /**
   * Deletes a rule. `removed` is false (status 204) when there was nothing to delete.
   *
   * @example
   * const { removed } = await client.rules.delete(70);
   */
  async delete(ruleId: Id, options?: RequestOptions): Promise<DeleteResult> {
    return this._delete(path`/rule/${param.id(ruleId, 'ruleId')}`, { options });
  }
}
