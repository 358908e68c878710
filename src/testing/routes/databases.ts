/** Routes: identity, databases, database fields, interests, collections, collection fields, unsubscribe (API §3.2–3.8). */
import { FakeApiError, type FakeRequest, type RouteTable } from '../contract.js';
import { fieldFromBody, fieldJson, type FieldDef, type FieldSet } from '../fields.js';
import { pageArray, parsePaging } from '../query.js';
import { Collection, Database, type UnsubscribeBehavior } from '../store.js';
import { fmtDate, isPlainObject, nowSeconds, parseBool } from '../util.js';
import { acc, assignOwn, collection, created, database, deleted, json, MSG, nothingDeleted, objectBody, str, updated } from './helpers.js';

function collectionJson(c: Collection): Record<string, unknown> {
  return { ID: String(c.id), name: c.name, database: String(c.database.id), fields: c.fields.list.map(fieldJson) };
}

function databaseJson(d: Database): Record<string, unknown> {
  return {
    ID: String(d.id),
    name: d.name,
    description: d.description,
    archived: d.archived,
    created: fmtDate(d.created),
    fields: d.fields.list.map(fieldJson),
    interests: d.interests.map((i) => ({ ID: String(i.id), name: i.name, group: i.group })),
    collections: d.collections.map(collectionJson),
  };
}

function unsubscribeBody(req: FakeRequest): UnsubscribeBehavior {
  const b = objectBody(req);
  const behavior = String(b.behavior ?? b.behaviour ?? '').toLowerCase();
  if (behavior !== 'nothing' && behavior !== 'remove' && behavior !== 'update') throw new FakeApiError(MSG.invalidData);
  const fields: Record<string, string> = {};
  if (b.fields !== undefined) {
    if (!isPlainObject(b.fields)) {
      if (!(Array.isArray(b.fields) && b.fields.length === 0)) throw new FakeApiError(MSG.invalidData);
    } else assignOwn(fields, Object.fromEntries(Object.entries(b.fields).map(([k, v]) => [k, str(v) ?? ''])));
  }
  return { behavior, fields };
}

function createField(req: FakeRequest, set: FieldSet): FieldDef {
  const b = objectBody(req);
  const name = str(b.name ?? b.Name)?.trim();
  if (!name) throw new FakeApiError('Field name is required');
  if (set.byName(name)) throw new FakeApiError('A field with this name already exists');
  return set.add(fieldFromBody(acc(req).store.next('field'), b));
}

function editField(req: FakeRequest, set: FieldSet, f: FieldDef): void {
  const b = objectBody(req);
  const next = fieldFromBody(f.id, b, f);
  if (next.name.toLowerCase() !== f.name.toLowerCase() && set.byName(next.name))
    throw new FakeApiError('A field with this name already exists');
  Object.assign(f, next);
}

export function registerDatabaseRoutes(r: RouteTable): void {
  r.add('GET', '/identity', (req) => {
    const a = acc(req);
    return json({ ID: String(a.id), name: a.name, description: a.description, company: a.company });
  });

  // ---- databases
  r.add('GET', '/databases', (req) => json(pageArray(parsePaging(req.query), [...acc(req).databases.values()].map(databaseJson))));
  r.add('POST', '/databases', (req) => {
    const b = objectBody(req);
    const name = str(b.name)?.trim();
    if (!name) throw new FakeApiError('Database name is required');
    const a = acc(req);
    if (a.findDatabase(name)) throw new FakeApiError('A database with this name already exists');
    const d = new Database(a.store.next('database'), name, str(b.description) ?? '', parseBool(b.archived), nowSeconds());
    a.databases.set(d.id, d);
    return created(req, 'database', d.id);
  });
  r.add('GET', '/database/{databaseId}', (req) => json(databaseJson(database(req))));
  r.add('PUT', '/database/{databaseId}', (req) => {
    const d = database(req);
    const b = objectBody(req);
    if (b.name !== undefined) {
      const name = String(b.name).trim();
      const other = acc(req).findDatabase(name);
      if (!name || (other && other !== d)) throw new FakeApiError(MSG.invalidData);
      d.name = name;
    }
    if (b.description !== undefined) d.description = String(b.description);
    if (b.archived !== undefined) d.archived = parseBool(b.archived);
    return updated(req, `database/${d.id}`);
  });

  // ---- database fields
  r.add('GET', '/database/{databaseId}/fields', (req) => json(pageArray(parsePaging(req.query), database(req).fields.list.map(fieldJson))));
  r.add('POST', '/database/{databaseId}/fields', (req) => {
    const d = database(req);
    const f = createField(req, d.fields);
    return created(req, `database/${d.id}/field`, f.id);
  });
  r.add('PUT', '/database/{databaseId}/field/{fieldId}', (req) => {
    const d = database(req);
    const f = d.fields.byRef(req.params.fieldId ?? '');
    if (!f) throw new FakeApiError(MSG.field);
    editField(req, d.fields, f);
    return updated(req, `database/${d.id}/field/${f.id}`);
  });
  r.add('DELETE', '/database/{databaseId}/field/{fieldId}', (req) => {
    const d = database(req);
    const f = d.fields.byRef(req.params.fieldId ?? '');
    if (!f) return nothingDeleted;
    d.fields.remove(f);
    return deleted('field', f.id);
  });

  // ---- interests
  r.add('GET', '/database/{databaseId}/interests', (req) =>
    json(
      pageArray(
        parsePaging(req.query),
        database(req).interests.map((i) => ({ ID: String(i.id), name: i.name, group: i.group })),
      ),
    ),
  );
  r.add('POST', '/database/{databaseId}/interests', (req) => {
    const d = database(req);
    const b = objectBody(req);
    const name = str(b.name)?.trim();
    if (!name) throw new FakeApiError('Interest name is required');
    if (d.interests.some((i) => i.name.toLowerCase() === name.toLowerCase()))
      throw new FakeApiError('An interest with this name already exists');
    const i = { id: acc(req).store.next('interest'), name, group: str(b.group) ?? '' };
    d.interests.push(i);
    return created(req, 'interest', i.id);
  });

  // ---- collections
  r.add('GET', '/database/{databaseId}/collections', (req) =>
    json(pageArray(parsePaging(req.query), database(req).collections.map(collectionJson))),
  );
  r.add('POST', '/database/{databaseId}/collections', (req) => {
    const d = database(req);
    const b = objectBody(req);
    const name = str(b.name)?.trim();
    if (!name) throw new FakeApiError('Collection name is required');
    if (d.collections.some((c) => c.name.toLowerCase() === name.toLowerCase()))
      throw new FakeApiError('A collection with this name already exists');
    const a = acc(req);
    const c = new Collection(a.store.next('collection'), name, d);
    if (Array.isArray(b.fields)) {
      for (const fb of b.fields) if (isPlainObject(fb) && str(fb.name ?? fb.Name)) c.fields.add(fieldFromBody(a.store.next('field'), fb));
    }
    d.collections.push(c);
    a.collections.set(c.id, c);
    return created(req, 'collection', c.id);
  });
  r.add('GET', '/collection/{collectionId}', (req) => json(collectionJson(collection(req))));
  r.add('PUT', '/collection/{collectionId}', (req) => {
    const c = collection(req);
    const b = objectBody(req);
    if (b.name !== undefined) {
      const name = String(b.name).trim();
      if (!name) throw new FakeApiError(MSG.invalidData);
      c.name = name;
    }
    return updated(req, `collection/${c.id}`);
  });

  // ---- collection fields
  r.add('GET', '/collection/{collectionId}/fields', (req) =>
    json(pageArray(parsePaging(req.query), collection(req).fields.list.map(fieldJson))),
  );
  r.add('POST', '/collection/{collectionId}/fields', (req) => {
    const c = collection(req);
    const f = createField(req, c.fields);
    return created(req, `collection/${c.id}/field`, f.id);
  });
  r.add('PUT', '/collection/{collectionId}/field/{fieldId}', (req) => {
    const c = collection(req);
    const f = c.fields.byRef(req.params.fieldId ?? '');
    if (!f) throw new FakeApiError(MSG.field);
    editField(req, c.fields, f);
    return updated(req, `collection/${c.id}/field/${f.id}`);
  });
  r.add('DELETE', '/collection/{collectionId}/field/{fieldId}', (req) => {
    const c = collection(req);
    const f = c.fields.byRef(req.params.fieldId ?? '');
    if (!f) return nothingDeleted;
    c.fields.remove(f);
    return deleted('field', f.id);
  });

  // ---- unsubscribe behaviour
  r.add('GET', '/database/{databaseId}/unsubscribe', (req) => json(database(req).unsubscribe));
  r.add('PUT', '/database/{databaseId}/unsubscribe', (req) => {
    const d = database(req);
    d.unsubscribe = unsubscribeBody(req);
    return updated(req, `database/${d.id}/unsubscribe`);
  });
  r.add('GET', '/collection/{collectionId}/unsubscribe', (req) => json(collection(req).unsubscribe));
  r.add('PUT', '/collection/{collectionId}/unsubscribe', (req) => {
    const c = collection(req);
    c.unsubscribe = unsubscribeBody(req);
    return updated(req, `collection/${c.id}/unsubscribe`);
  });
}
