/** Routes: views, rules, rule conditions, miniviews, minirules, minirule conditions (API §3.12–3.18). */
import { FakeApiError, type FakeRequest, type FakeResponse, type RouteTable } from '../contract.js';
import { envelope, filterExpressions, pageArray, parsePaging, selectAll, selectPage } from '../query.js';
import { miniviewMembers, viewMembers } from '../selection.js';
import type { Account, ConditionDef, MiniviewDef, RuleDef, ViewDef } from '../store.js';
import { fmtDate, isPlainObject, nowSeconds, parseBool } from '../util.js';
import {
  acc,
  assignOwn,
  collection,
  created,
  database,
  deleted,
  json,
  miniview,
  MSG,
  nothingDeleted,
  objectBody,
  ruleByRef,
  str,
  updated,
  view,
} from './helpers.js';

const CONDITION_TYPES = [
  'Change',
  'Date',
  'DoubleField',
  'Email',
  'Export',
  'Fax',
  'Field',
  'Interest',
  'LastContact',
  'MiniView',
  'Part',
  'ReferView',
  'Sms',
  'Survey',
  'ToDo',
];

/** Canonical spelling of a condition type (case-insensitive; `SMS` → `Sms`), or undefined. */
function conditionType(t: unknown): string | undefined {
  if (typeof t !== 'string') return undefined;
  const l = t.toLowerCase();
  return CONDITION_TYPES.find((x) => x.toLowerCase() === l);
}

function conditionFromBody(a: Account, body: Record<string, unknown>): ConditionDef {
  const type = conditionType(body.type);
  if (!type) throw new FakeApiError('Invalid condition type');
  const { type: _t, id: _i, ID: _I, rule: _r, ...props } = body;
  return { id: a.store.next('condition'), type, props };
}

function conditionsFromBody(a: Account, v: unknown): ConditionDef[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new FakeApiError(MSG.invalidData);
  return v.map((c) => {
    if (!isPlainObject(c)) throw new FakeApiError(MSG.invalidData);
    return conditionFromBody(a, c);
  });
}

function conditionJson(c: ConditionDef, ruleId: number, idKey: 'ID' | 'id'): Record<string, unknown> {
  return { [idKey]: String(c.id), type: c.type, rule: String(ruleId), ...c.props };
}

/** Rule JSON in one of the page spellings: `id`+`inversed` (lists, GET rule) or `ID`+`inverted` (GET view/{id}/rule/{id}). */
function ruleJson(r: RuleDef, style: 'id' | 'ID'): Record<string, unknown> {
  const condKey = r.kind === 'rule' ? 'ID' : 'id';
  return {
    [style]: String(r.id),
    name: r.name,
    description: r.description,
    view: String(r.owner),
    disabled: r.disabled,
    [style === 'id' ? 'inversed' : 'inverted']: r.inverted,
    conditions: r.conditions.map((c) => conditionJson(c, r.id, condKey)),
  };
}

function viewJson(a: Account, v: ViewDef, lastKey: 'lastbuilt' | 'last-built'): Record<string, unknown> {
  let children = false;
  let referred = false;
  for (const o of a.views.values()) if (o.parentType === 'view' && o.parentId === v.id) children = true;
  for (const r of a.rules.values())
    for (const c of r.conditions) if (c.type === 'ReferView' && Number(c.props['refer-view']) === v.id) referred = true;
  return {
    ID: String(v.id),
    name: v.name,
    description: v.description,
    'parent-type': v.parentType,
    'parent-id': String(v.parentId),
    'has-children': children,
    'has-referred': referred,
    'has-rules': v.rules.length > 0,
    database: String(v.database.id),
    [lastKey]: fmtDate(v.lastBuilt),
  };
}

function miniviewJson(m: MiniviewDef): Record<string, unknown> {
  return {
    ID: String(m.id),
    name: m.name,
    description: m.description,
    'parent-type': m.parentType,
    'parent-id': String(m.parentId),
    collection: String(m.collection.id),
  };
}

function requireName(b: Record<string, unknown>): string {
  const name = str(b.name)?.trim();
  if (!name) throw new FakeApiError('Name is required');
  return name;
}

function newRule(req: FakeRequest, kind: 'rule' | 'minirule', owner: number, rules: RuleDef[]): FakeResponse {
  const a = acc(req);
  const b = objectBody(req);
  const name = requireName(b);
  if (rules.some((r) => r.name.toLowerCase() === name.toLowerCase())) throw new FakeApiError('A rule with this name already exists');
  const r: RuleDef = {
    id: a.store.next(kind),
    kind,
    owner,
    name,
    description: str(b.description) ?? '',
    inverted: parseBool(b.inverted ?? b.inversed),
    disabled: parseBool(b.disabled),
    conditions: conditionsFromBody(a, b.conditions),
  };
  rules.push(r);
  (kind === 'rule' ? a.rules : a.minirules).set(r.id, r);
  return created(req, kind, r.id);
}

function editRule(req: FakeRequest, r: RuleDef): void {
  const a = acc(req);
  const b = objectBody(req);
  if (b.name !== undefined) r.name = requireName(b);
  if (b.description !== undefined) r.description = String(b.description);
  if (b.inverted !== undefined || b.inversed !== undefined) r.inverted = parseBool(b.inverted ?? b.inversed);
  if (b.disabled !== undefined) r.disabled = parseBool(b.disabled);
  if (b.conditions !== undefined) r.conditions = conditionsFromBody(a, b.conditions);
}

function editCondition(req: FakeRequest, r: RuleDef): FakeResponse {
  const seg = req.params.type ?? '';
  const c = /^\d+$/.test(seg)
    ? r.conditions.find((x) => x.id === Number(seg))
    : r.conditions.find((x) => x.type.toLowerCase() === seg.toLowerCase());
  if (!c) throw new FakeApiError('No condition with supplied type');
  const b = objectBody(req);
  const { type, id: _i, ID: _I, rule: _r, ...props } = b;
  if (type !== undefined) {
    const t = conditionType(type);
    if (!t) throw new FakeApiError('Invalid condition type');
    c.type = t;
  }
  assignOwn(c.props, props);
  if ('value' in props) delete c.props['other-field']; // setting a value clears other-field (API §3.15 Field)
  return updated(req, `${r.kind}/${r.id}/conditions/${c.type}`);
}

function deleteViewTree(a: Account, v: ViewDef): void {
  for (const child of [...a.views.values()]) if (child.parentType === 'view' && child.parentId === v.id) deleteViewTree(a, child);
  for (const r of v.rules) a.rules.delete(r.id);
  a.views.delete(v.id);
}

function deleteMiniviewTree(a: Account, m: MiniviewDef): void {
  for (const child of [...a.miniviews.values()])
    if (child.parentType === 'miniview' && child.parentId === m.id) deleteMiniviewTree(a, child);
  for (const r of m.rules) a.minirules.delete(r.id);
  a.miniviews.delete(m.id);
}

function viewParent(
  a: Account,
  v: ViewDef | undefined,
  b: Record<string, unknown>,
  dbId: number,
): { parentType: 'database' | 'view'; parentId: number } | undefined {
  const pt = str(b['parent-type'] ?? b.parent_type)?.toLowerCase();
  const pid = Number(b['parent-id'] ?? b.parent_id);
  if (pt === undefined && b['parent-id'] === undefined) return undefined;
  if (pt === 'database' || (pt === undefined && pid === dbId)) return { parentType: 'database', parentId: dbId };
  const parent = a.views.get(pid);
  if (!parent || parent.database.id !== dbId) throw new FakeApiError(MSG.view);
  for (let p: ViewDef | undefined = parent; p; p = p.parentType === 'view' ? a.views.get(p.parentId) : undefined) {
    if (v && p.id === v.id) throw new FakeApiError(MSG.invalidData); // would create a cycle
  }
  return { parentType: 'view', parentId: pid };
}

export function registerViewRoutes(r: RouteTable): void {
  // ---- views
  r.add('GET', '/database/{databaseId}/views', (req) => {
    const d = database(req);
    const a = acc(req);
    const list = [...a.views.values()].filter((v) => v.database === d && v.parentType === 'database');
    return json(
      pageArray(
        parsePaging(req.query),
        list.map((v) => viewJson(a, v, 'lastbuilt')),
      ),
    );
  });
  const createView = (
    req: FakeRequest,
    d: ViewDef['database'],
    parent: { parentType: 'database' | 'view'; parentId: number },
  ): FakeResponse => {
    const a = acc(req);
    const b = objectBody(req);
    const v: ViewDef = {
      id: a.store.next('view'),
      name: requireName(b),
      description: str(b.description) ?? '',
      database: d,
      ...parent,
      rules: [],
      lastBuilt: nowSeconds(),
    };
    a.views.set(v.id, v);
    return created(req, 'view', v.id);
  };
  r.add('POST', '/database/{databaseId}/views', (req) => {
    const d = database(req);
    return createView(req, d, viewParent(acc(req), undefined, objectBody(req), d.id) ?? { parentType: 'database', parentId: d.id });
  });
  r.add('GET', '/view/{viewId}', (req) => json(viewJson(acc(req), view(req), 'last-built')));
  r.add('PUT', '/view/{viewId}', (req) => {
    const v = view(req);
    const b = objectBody(req);
    if (b.name !== undefined) v.name = requireName(b);
    if (b.description !== undefined) v.description = String(b.description);
    const parent = viewParent(acc(req), v, b, v.database.id);
    if (parent) Object.assign(v, parent);
    return updated(req, `view/${v.id}`);
  });
  r.add('DELETE', '/view/{viewId}', (req) => {
    const id = req.params.viewId ?? '';
    const v = /^\d+$/.test(id) ? acc(req).views.get(Number(id)) : undefined;
    if (!v) return nothingDeleted;
    deleteViewTree(acc(req), v);
    return deleted('view', v.id);
  });
  r.add('GET', '/view/{viewId}/profiles', (req) => {
    const v = view(req);
    const a = acc(req);
    const p = parsePaging(req.query);
    const { ids, total } = selectPage(v.database, viewMembers(a, v), req.query, p, a.store.random);
    return json(
      envelope(
        p,
        ids.map((id) => a.profileJson(v.database, id)),
        total,
      ),
    );
  });
  r.add('GET', '/view/{viewId}/profileids', (req) => json(viewMembers(acc(req), view(req)).map(String)));
  r.add('GET', '/view/{viewId}/views', (req) => {
    const v = view(req);
    const a = acc(req);
    const list = [...a.views.values()].filter((o) => o.parentType === 'view' && o.parentId === v.id);
    return json(
      pageArray(
        parsePaging(req.query),
        list.map((o) => viewJson(a, o, 'lastbuilt')),
      ),
    );
  });
  r.add('POST', '/view/{viewId}/views', (req) => {
    const v = view(req);
    return createView(req, v.database, { parentType: 'view', parentId: v.id });
  });

  // ---- rules
  r.add('GET', '/view/{viewId}/rules', (req) =>
    json(
      pageArray(
        parsePaging(req.query),
        view(req).rules.map((x) => ruleJson(x, 'id')),
      ),
    ),
  );
  r.add('GET', '/view/{viewId}/rule/{ruleId}', (req) => {
    const v = view(req);
    const rule = ruleByRef(acc(req).rules, req.params.ruleId ?? '', MSG.rule);
    if (rule.owner !== v.id) throw new FakeApiError(MSG.rule);
    return json(ruleJson(rule, 'ID'));
  });
  r.add('POST', '/view/{viewId}/rules', (req) => {
    const v = view(req);
    return newRule(req, 'rule', v.id, v.rules);
  });
  r.add('GET', '/rule/{ruleId}', (req) => json(ruleJson(ruleByRef(acc(req).rules, req.params.ruleId ?? '', MSG.rule), 'id')));
  r.add('PUT', '/rule/{ruleId}', (req) => {
    const rule = ruleByRef(acc(req).rules, req.params.ruleId ?? '', MSG.rule);
    editRule(req, rule);
    return updated(req, `rule/${rule.id}`);
  });
  r.add('DELETE', '/rule/{ruleId}', (req) => {
    const a = acc(req);
    const id = req.params.ruleId ?? '';
    const rule = /^\d+$/.test(id) ? a.rules.get(Number(id)) : undefined;
    if (!rule) return nothingDeleted;
    a.rules.delete(rule.id);
    const v = a.views.get(rule.owner);
    if (v) v.rules = v.rules.filter((x) => x !== rule);
    return deleted('rule', rule.id);
  });
  r.add('GET', '/rule/{ruleId}/conditions', (req) => {
    const rule = ruleByRef(acc(req).rules, req.params.ruleId ?? '', MSG.rule);
    return json(rule.conditions.map((c) => conditionJson(c, rule.id, 'id')));
  });
  r.add('POST', '/rule/{ruleId}/conditions', (req) => {
    const rule = ruleByRef(acc(req).rules, req.params.ruleId ?? '', MSG.rule);
    const c = conditionFromBody(acc(req), objectBody(req));
    rule.conditions.push(c);
    return created(req, 'condition', c.id);
  });
  r.add('PUT', '/rule/{ruleId}/conditions/{type}', (req) =>
    editCondition(req, ruleByRef(acc(req).rules, req.params.ruleId ?? '', MSG.rule)),
  );

  // ---- miniviews
  r.add('GET', '/collection/{collectionId}/miniviews', (req) => {
    const c = collection(req);
    const list = [...acc(req).miniviews.values()].filter((m) => m.collection === c);
    return json(pageArray(parsePaging(req.query), list.map(miniviewJson)));
  });
  r.add('POST', '/collection/{collectionId}/miniviews', (req) => {
    const c = collection(req);
    const a = acc(req);
    const b = objectBody(req);
    let parentType: 'collection' | 'miniview' = 'collection';
    let parentId = c.id;
    if (str(b['parent-type'])?.toLowerCase() === 'miniview') {
      const p = a.miniviews.get(Number(b['parent-id']));
      if (!p || p.collection !== c) throw new FakeApiError(MSG.miniview);
      parentType = 'miniview';
      parentId = p.id;
    }
    const m: MiniviewDef = {
      id: a.store.next('miniview'),
      name: requireName(b),
      description: str(b.description) ?? '',
      collection: c,
      parentType,
      parentId,
      rules: [],
    };
    a.miniviews.set(m.id, m);
    return created(req, 'miniview', m.id);
  });
  r.add('GET', '/miniview/{miniviewId}', (req) => json(miniviewJson(miniview(req))));
  r.add('PUT', '/miniview/{miniviewId}', (req) => {
    const m = miniview(req);
    const b = objectBody(req);
    if (b.name !== undefined) m.name = requireName(b);
    if (b.description !== undefined) m.description = String(b.description);
    return updated(req, `miniview/${m.id}`);
  });
  r.add('DELETE', '/miniview/{miniviewId}', (req) => {
    const id = req.params.miniviewId ?? '';
    const m = /^\d+$/.test(id) ? acc(req).miniviews.get(Number(id)) : undefined;
    if (!m) return nothingDeleted;
    deleteMiniviewTree(acc(req), m);
    return deleted('miniview', m.id);
  });
  r.add('GET', '/miniview/{miniviewId}/subprofiles', (req) => {
    const m = miniview(req);
    const a = acc(req);
    const exprs = filterExpressions(req.query);
    const members = miniviewMembers(a, m);
    const ids = exprs.length ? selectAll(m.collection, members, exprs).ids : members;
    if (req.query.has('start') || req.query.has('limit') || req.query.has('orderby') || req.query.has('order')) {
      const p = parsePaging(req.query);
      return json(selectPage(m.collection, ids, req.query, p, a.store.random).ids.map((id) => a.subprofileJson(m.collection, id, 'id')));
    }
    return json(ids.map((id) => a.subprofileJson(m.collection, id, 'id')));
  });
  r.add('GET', '/miniview/{miniviewId}/subprofileids', (req) => json(miniviewMembers(acc(req), miniview(req)).map(String)));

  // ---- minirules
  const minirule = (req: FakeRequest, param = 'miniruleId'): RuleDef =>
    ruleByRef(acc(req).minirules, req.params[param] ?? '', MSG.minirule);
  r.add('GET', '/miniview/{miniviewId}/rules', (req) =>
    json(
      pageArray(
        parsePaging(req.query),
        miniview(req).rules.map((x) => ruleJson(x, 'id')),
      ),
    ),
  );
  const oneOf = (style: 'id' | 'ID') => (req: FakeRequest) => {
    const m = miniview(req);
    const rule = minirule(req);
    if (rule.owner !== m.id) throw new FakeApiError(MSG.minirule);
    return json(ruleJson(rule, style));
  };
  r.add('GET', '/miniview/{miniviewId}/rule/{miniruleId}', oneOf('id'));
  r.add('GET', '/miniview/{miniviewId}/minirule/{miniruleId}', oneOf('ID'));
  const addMinirule = (req: FakeRequest) => {
    const m = miniview(req);
    return newRule(req, 'minirule', m.id, m.rules);
  };
  r.add('POST', '/miniview/{miniviewId}/rules', addMinirule);
  r.add('POST', '/miniview/{miniviewId}/minirules', addMinirule);
  r.add('GET', '/minirule/{miniruleId}', (req) => json(ruleJson(minirule(req), 'id')));
  r.add('PUT', '/minirule/{miniruleId}', (req) => {
    const rule = minirule(req);
    editRule(req, rule);
    return updated(req, `minirule/${rule.id}`);
  });
  r.add('DELETE', '/minirule/{miniruleId}', (req) => {
    const a = acc(req);
    const id = req.params.miniruleId ?? '';
    const rule = /^\d+$/.test(id) ? a.minirules.get(Number(id)) : undefined;
    if (!rule) return nothingDeleted;
    a.minirules.delete(rule.id);
    const m = a.miniviews.get(rule.owner);
    if (m) m.rules = m.rules.filter((x) => x !== rule);
    return deleted('minirule', rule.id);
  });
  r.add('GET', '/minirule/{miniruleId}/conditions', (req) => {
    const rule = minirule(req);
    return json(rule.conditions.map((c) => conditionJson(c, rule.id, 'id')));
  });
  r.add('POST', '/minirule/{miniruleId}/conditions', (req) => {
    const rule = minirule(req);
    const c = conditionFromBody(acc(req), objectBody(req));
    rule.conditions.push(c);
    return created(req, 'condition', c.id);
  });
  r.add('PUT', '/minirule/{miniruleId}/conditions/{type}', (req) => editCondition(req, minirule(req)));
}
