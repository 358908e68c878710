/** Routes: profiles, profile data (fields, interests, subprofiles) and subprofiles (API §3.9–3.11). */
import { FakeApiError, type FakeRequest, type RouteTable } from '../contract.js';
import { filterExpressions, parsePaging, selectAll, selectPage, envelope } from '../query.js';
import type { Collection, Database, RecordContainer } from '../store.js';
import { isPlainObject, nowSeconds, parseBool } from '../util.js';
import {
  acc, collection, collectionOf, created, database, deleted, json, liveProfile, MSG, nothingDeleted, numericParam, objectBody,
  profileRef, subprofileRef, updated,
} from './helpers.js';

/**
 * The field values of a body. Flat maps are the documented form; `{"fields": {...}}` is accepted too
 * when the container has no field called `fields`.
 */
function valuesOf(req: FakeRequest, c: RecordContainer): Record<string, unknown> {
  const b = objectBody(req);
  if (isPlainObject(b.fields) && !c.fields.byName('fields')) return b.fields;
  if (b.fields !== undefined && !isPlainObject(b.fields) && !c.fields.byName('fields')) throw new FakeApiError(MSG.invalidData);
  return b;
}

/** Interests from a body: an array of names/IDs, or an object name → bool. */
function applyInterests(db: Database, set: Set<number>, body: unknown, replace: boolean): void {
  if (Array.isArray(body)) {
    if (replace) set.clear();
    for (const n of body) {
      const i = db.interestByRef(String(n));
      if (i) set.add(i.id);
    }
    return;
  }
  if (!isPlainObject(body)) throw new FakeApiError(MSG.invalidData);
  if (replace) set.clear();
  for (const [k, v] of Object.entries(body)) {
    const i = db.interestByRef(k);
    if (!i) continue;
    if (parseBool(v, true)) set.add(i.id);
    else set.delete(i.id);
  }
}

function subsOf(req: FakeRequest, profileId: number, only?: Collection): Record<string, unknown>[] {
  const a = acc(req);
  const out: Record<string, unknown>[] = [];
  for (const sid of a.subsByProfile.get(profileId) ?? []) {
    const c = a.subOwner.get(sid);
    if (!c || (only && c !== only)) continue;
    if (c.recs.get(sid)?.removed) continue;
    out.push(a.subprofileJson(c, sid, 'id'));
  }
  return out;
}

function createSub(req: FakeRequest, c: Collection | undefined): ReturnType<typeof created> {
  const { db, id } = liveProfile(req);
  const b = objectBody(req);
  let coll = c;
  if (!coll) {
    const ref = b.collection ?? b.collectionId;
    if (ref !== undefined) coll = collectionOf(db, String(ref));
    else if (db.collections.length === 1) coll = db.collections[0];
    else throw new FakeApiError(MSG.collection);
  } else if (coll.database !== db) throw new FakeApiError(MSG.collection);
  const target: Collection = coll as Collection;
  const body = { ...b };
  if (!target.fields.byName('collection')) delete body.collection;
  const s = acc(req).createSubprofile(target, id, isPlainObject(body.fields) && !target.fields.byName('fields') ? body.fields : body);
  return created(req, 'subprofile', s.id);
}

export function registerProfileRoutes(r: RouteTable): void {
  // ---- profiles of a database
  r.add('GET', '/database/{databaseId}/profiles', (req) => {
    const d = database(req);
    const p = parsePaging(req.query);
    const { ids, total } = selectPage(d, d.ids, req.query, p, acc(req).store.random);
    const a = acc(req);
    return json(envelope(p, ids.map((id) => a.profileJson(d, id)), total));
  });
  r.add('GET', '/database/{databaseId}/profileids', (req) => json(database(req).ids.map(String)));
  r.add('POST', '/database/{databaseId}/profiles', (req) => {
    const d = database(req);
    const p = acc(req).createProfile(d, valuesOf(req, d));
    return created(req, 'profile', p.id);
  });
  r.add('PUT', '/database/{databaseId}/profiles', (req) => {
    const d = database(req);
    const exprs = filterExpressions(req.query);
    if (exprs.length === 0) throw new FakeApiError(MSG.fieldsRequired);
    const values = valuesOf(req, d);
    const { ids, filters } = selectAll(d, d.ids, exprs);
    const a = acc(req);
    if (ids.length === 0 && parseBool(req.query.get('create'))) {
      const p = a.createProfile(d, { ...filters.equalities, ...values });
      return { status: 201, headers: { 'X-Created': String(p.id), 'X-location': `${req.apiUrl}/profile/${p.id}` } };
    }
    for (const id of ids) a.updateProfile(d, id, values);
    return updated(req, `database/${d.id}/profiles`);
  });

  // ---- one profile
  r.add('GET', '/profile/{profileId}', (req) => {
    const { db, id } = profileRef(req);
    return json(acc(req).profileJson(db, id));
  });
  r.add('PUT', '/profile/{profileId}', (req) => {
    const { db, id } = liveProfile(req);
    const b = objectBody(req);
    if (b.fields !== undefined && !isPlainObject(b.fields)) throw new FakeApiError(MSG.invalidData);
    const a = acc(req);
    a.updateProfile(db, id, isPlainObject(b.fields) ? b.fields : {});
    const rec = db.materialise(id);
    if (b.interests !== undefined) applyInterests(db, rec.interests, b.interests, false);
    if (typeof b.secret === 'string' && b.secret !== '') rec.secret = b.secret;
    return updated(req, `profile/${id}`);
  });
  r.add('DELETE', '/profile/{profileId}', (req) => {
    const id = numericParam(req, 'profileId', MSG.profile);
    const db = acc(req).databaseOf(id);
    if (!db || !db.has(id)) return nothingDeleted;
    if (!db.isLive(id)) throw new FakeApiError(MSG.profileRemoved);
    acc(req).removeProfile(db, id);
    return deleted('profile', id);
  });

  // ---- profile data
  r.add('GET', '/profile/{profileId}/fields', (req) => {
    const { db, id } = profileRef(req);
    return json(acc(req).profileJson(db, id).fields);
  });
  r.add('PUT', '/profile/{profileId}/fields', (req) => {
    const { db, id } = liveProfile(req);
    acc(req).updateProfile(db, id, valuesOf(req, db));
    return updated(req, `profile/${id}`);
  });
  r.add('GET', '/profile/{profileId}/interests', (req) => {
    const { db, id } = profileRef(req);
    const set = db.isLive(id) ? db.interestsOf(id) : new Set<number>();
    const list = db.interests.filter((i) => set.has(i.id));
    const mode = req.query.get('return');
    if (mode === 'ids') return json(list.map((i) => String(i.id)));
    if (mode === 'objects') return json(list.map((i) => ({ ID: String(i.id), name: i.name, group: i.group })));
    return json(list.map((i) => i.name));
  });
  const setInterests = (replace: boolean) => (req: FakeRequest) => {
    const { db, id } = liveProfile(req);
    const rec = db.materialise(id);
    applyInterests(db, rec.interests, req.body ?? [], replace);
    rec.modified = nowSeconds();
    const loc = `${req.apiUrl}/profile/${id}/interests`;
    return replace ? updated(req, `profile/${id}/interests`) : { status: 201, headers: { 'X-location': loc } };
  };
  r.add('POST', '/profile/{profileId}/interests', setInterests(false));
  r.add('PUT', '/profile/{profileId}/interests', setInterests(true));

  r.add('GET', '/profile/{profileId}/subprofiles', (req) => json(subsOf(req, liveProfile(req).id)));
  r.add('GET', '/profile/{profileId}/subprofiles/{collectionId}', (req) => {
    const { db, id } = liveProfile(req);
    return json(subsOf(req, id, collectionOf(db, req.params.collectionId ?? '')));
  });
  r.add('POST', '/profile/{profileId}/subprofiles', (req) => createSub(req, undefined));
  r.add('POST', '/profile/{profileId}/subprofiles/{collectionId}', (req) => {
    const { db } = liveProfile(req);
    return createSub(req, collectionOf(db, req.params.collectionId ?? ''));
  });
  r.add('PUT', '/profile/{profileId}/subprofiles', (req) => {
    // Undocumented index form: the body names the subprofile (`id`, `ID` or `subprofile`) and carries its fields.
    const { id } = liveProfile(req);
    const b = objectBody(req);
    const sid = Number(b.subprofile ?? b.id ?? b.ID);
    const a = acc(req);
    const c = a.subOwner.get(sid);
    const s = c?.recs.get(sid);
    if (!c || !s || s.profile !== id || s.removed) throw new FakeApiError(MSG.subprofile);
    const { subprofile: _s, id: _i, ID: _I, ...rest } = b;
    a.updateSubprofile(c, sid, isPlainObject(rest.fields) && !c.fields.byName('fields') ? rest.fields : rest);
    return updated(req, `subprofile/${sid}`);
  });

  // ---- subprofiles
  r.add('PUT', '/subprofile/{subprofileId}/fields', (req) => {
    const { c, id, live } = subprofileRef(req);
    if (!live) throw new FakeApiError(MSG.subprofile);
    acc(req).updateSubprofile(c, id, valuesOf(req, c));
    return updated(req, `subprofile/${id}`);
  });
  r.add('GET', '/collection/{collectionId}/subprofiles', (req) => {
    const c = collection(req);
    const p = parsePaging(req.query);
    const a = acc(req);
    const { ids, total } = selectPage(c, c.ids, req.query, p, a.store.random);
    return json(envelope(p, ids.map((id) => a.subprofileJson(c, id)), total));
  });
  r.add('GET', '/collection/{collectionId}/subprofileids', (req) => json(collection(req).ids.map(String)));
  r.add('GET', '/subprofile/{subprofileId}', (req) => {
    const { c, id } = subprofileRef(req);
    return json(acc(req).subprofileJson(c, id));
  });
  r.add('GET', '/subprofile/{subprofileId}/fields', (req) => {
    const { c, id } = subprofileRef(req);
    return json(acc(req).subprofileJson(c, id).fields);
  });
  // Not in the v1 pages (v2 has it); lets a client meet `This subprofile has already been removed`.
  r.add('DELETE', '/subprofile/{subprofileId}', (req) => {
    const id = numericParam(req, 'subprofileId', MSG.subprofile);
    const c = acc(req).subOwner.get(id);
    const s = c?.recs.get(id);
    if (!c || !s) return nothingDeleted;
    if (s.removed) throw new FakeApiError(MSG.subprofileRemoved);
    acc(req).removeSubprofile(c, id);
    return deleted('subprofile', id);
  });
}
