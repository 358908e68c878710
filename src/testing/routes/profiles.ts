/** Routes: profiles, profile data (fields, interests, subprofiles) and subprofiles (API §3.9–3.11). */
import { FakeApiError, type FakeRequest, type RouteTable } from '../contract.js';
import { filterExpressions, parsePaging, selectAll, selectPage, envelope } from '../query.js';
import type { Collection, Database, RecordContainer } from '../store.js';
import { isPlainObject, nowSeconds, parseBool } from '../util.js';
import {
  acc,
  collection,
  collectionOf,
  created,
  database,
  deleted,
  json,
  liveProfile,
  MSG,
  nothingDeleted,
  numericParam,
  objectBody,
  profileRef,
  subprofileRef,
  updated,
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
    out.push(a.subprofileJson(c, sid, 'ID')); // live: lists and single GETs both use upper-case `ID`
  }
  return out;
}

/** The collection of `profile/{pid}/subprofiles/{cid}` (ID or name, case-insensitive), in the profile's database, or undefined. */
function usableCollection(db: Database, ref: string): Collection | undefined {
  if (ref === '') return undefined;
  return db.collections.find((x) => String(x.id) === ref) ?? db.collections.find((x) => x.name.toLowerCase() === ref.toLowerCase());
}

/**
 * The live secret rules of a PUT (spec/OBSERVED.md "Writes"): any string, non-ASCII characters
 * stored as `?`, `""` empties it; an array or object is stored as `"1"`; absent changes nothing.
 */
function applySecret(rec: { secret: string }, v: unknown): void {
  if (v === undefined) return;
  if (typeof v === 'string') rec.secret = v.replace(/[^\x00-\x7f]/gu, '?');
  else if (typeof v === 'object') rec.secret = v === null ? '' : '1';
  else if (typeof v === 'boolean') rec.secret = v ? '1' : '';
  else rec.secret = String(v);
}

export function registerProfileRoutes(r: RouteTable): void {
  // ---- profiles of a database
  r.add('GET', '/database/{databaseId}/profiles', (req) => {
    const d = database(req);
    const p = parsePaging(req.query);
    const { ids, total } = selectPage(d, d.ids, req.query, p, acc(req).store.random);
    const a = acc(req);
    return json(
      envelope(
        p,
        ids.map((id) => a.profileJson(d, id)),
        total,
      ),
    );
  });
  r.add('GET', '/database/{databaseId}/profileids', (req) => json(database(req).ids.map(String)));
  r.add('POST', '/database/{databaseId}/profiles', (req) => {
    const d = database(req);
    const p = acc(req).createProfile(d, valuesOf(req, d));
    return created(req, 'profile', p.id);
  });
  r.add('PUT', '/database/{databaseId}/profiles', (req) => {
    const d = database(req);
    const values = valuesOf(req, d); // body shape first: live answers `Invalid data provided` before the missing fields[]
    const exprs = filterExpressions(req.query);
    if (exprs.length === 0) throw new FakeApiError(MSG.fieldsRequired);
    const { ids, filters } = selectAll(d, d.ids, exprs);
    const a = acc(req);
    if (ids.length === 0 && parseBool(req.query.get('create'))) {
      // Live: 303 with X-Created and a Location naming the new profile (the HTTP layer makes the 303).
      const p = a.createProfile(d, { ...filters.equalities, ...values });
      return { status: 200, headers: { 'X-Created': String(p.id), 'X-location': `${req.apiUrl}/profile/${p.id}` } };
    }
    for (const id of ids) a.updateProfile(d, id, values);
    return { status: 200 }; // live: 2xx without Location when the bulk PUT only updates
  });

  // ---- one profile
  r.add('GET', '/profile/{profileId}', (req) => {
    const { db, id } = profileRef(req);
    return json(acc(req).profileJson(db, id));
  });
  // Live: a non-object `fields` is ignored; a removed profile is accepted (its fields keep reading "").
  r.add('PUT', '/profile/{profileId}', (req) => {
    const { db, id } = profileRef(req);
    const b = objectBody(req);
    const a = acc(req);
    const live = db.isLive(id);
    a.updateProfile(db, id, isPlainObject(b.fields) ? b.fields : {}); // the store keeps a removed profile's fields blank
    const rec = db.materialise(id);
    if (live && b.interests !== undefined) applyInterests(db, rec.interests, b.interests, false);
    applySecret(rec, b.secret);
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
    const { db, id } = profileRef(req);
    const values = valuesOf(req, db);
    acc(req).updateProfile(db, id, values);
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

  // No `/profile/{profileId}/subprofiles` without a collection: live answers `element 3 is missing` (spec/OBSERVED.md).
  r.add('GET', '/profile/{profileId}/subprofiles/{collectionId}', (req) => {
    const { db, id } = liveProfile(req);
    return json(subsOf(req, id, collectionOf(db, req.params.collectionId ?? '')));
  });
  // Live: a flat field map (no `fields` wrapper, `secret` ignored); works under a removed profile too.
  r.add('POST', '/profile/{profileId}/subprofiles/{collectionId}', (req) => {
    const { db, id } = profileRef(req);
    const c = usableCollection(db, req.params.collectionId ?? '');
    if (!c) throw new FakeApiError(MSG.subprofileNotCreated);
    const s = acc(req).createSubprofile(c, id, objectBody(req));
    return created(req, 'subprofile', s.id);
  });
  // Bulk edit of one profile's subprofiles in one collection (checked by hand live): `fields[]`
  // selects, the body is a flat map, `create` may add one (no X-Created, no Location).
  r.add('PUT', '/profile/{profileId}/subprofiles/{collectionId}', (req) => {
    const { db, id } = liveProfile(req);
    const c = usableCollection(db, req.params.collectionId ?? '');
    if (!c) throw new FakeApiError(MSG.collection);
    const exprs = filterExpressions(req.query);
    if (exprs.length === 0) throw new FakeApiError(MSG.fieldsRequired);
    const values = objectBody(req);
    const a = acc(req);
    const own = c.ids.filter((sid) => c.recs.get(sid)?.profile === id);
    const { ids, filters } = selectAll(c, own, exprs);
    if (ids.length === 0 && parseBool(req.query.get('create'))) a.createSubprofile(c, id, { ...filters.equalities, ...values });
    else for (const sid of ids) a.updateSubprofile(c, sid, values);
    return { status: 200 };
  });

  // ---- subprofiles
  // Live: a removed subprofile is accepted (its fields keep reading ""), as for profiles.
  r.add('PUT', '/subprofile/{subprofileId}/fields', (req) => {
    const { c, id } = subprofileRef(req);
    const values = valuesOf(req, c);
    acc(req).updateSubprofile(c, id, values);
    return updated(req, `subprofile/${id}`);
  });
  // Live (not on the v1 pages): `{"fields":{…},"secret":"…"}` as PUT profile/{id}; a non-object `fields` is ignored.
  r.add('PUT', '/subprofile/{subprofileId}', (req) => {
    const { c, id } = subprofileRef(req);
    const b = objectBody(req);
    acc(req).updateSubprofile(c, id, isPlainObject(b.fields) ? b.fields : {});
    const rec = c.recs.get(id);
    if (rec) applySecret(rec, b.secret);
    return updated(req, `subprofile/${id}`);
  });
  r.add('GET', '/collection/{collectionId}/subprofiles', (req) => {
    const c = collection(req);
    const p = parsePaging(req.query);
    const a = acc(req);
    const { ids, total } = selectPage(c, c.ids, req.query, p, a.store.random);
    return json(
      envelope(
        p,
        ids.map((id) => a.subprofileJson(c, id)),
        total,
      ),
    );
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
