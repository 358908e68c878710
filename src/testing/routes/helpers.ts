/** Shared pieces of the data-model route handlers: responses, lookups with the service's error messages, body checks. */
import { FakeApiError, type FakeRequest, type FakeResponse } from '../contract.js';
import type { Account, Collection, Database, MiniviewDef, RuleDef, ViewDef } from '../store.js';
import { isPlainObject, setOwn } from '../util.js';

export const MSG = {
  database: 'No database with supplied ID',
  collection: 'No collection with given ID',
  profile: 'No entity with supplied ID',
  subprofile: 'No subprofile with supplied ID',
  view: 'No view with supplied ID',
  rule: 'No rule with supplied ID',
  miniview: 'No miniview with supplied ID',
  minirule: 'No minirule with supplied ID',
  field: 'No field with supplied ID',
  invalidData: 'Invalid data provided',
  profileRemoved: 'This profile has already been removed',
  subprofileRemoved: 'This subprofile has already been removed',
  fieldsRequired: 'URL parameter fields is required',
  subprofileNotCreated: 'Subprofile could not be created',
} as const;

export const acc = (req: FakeRequest): Account => req.account as Account;

export function json(data: unknown): FakeResponse {
  return { status: 200, json: data };
}

/** 201 with `X-Created` and `X-location`. */
export function created(req: FakeRequest, entity: string, id: number): FakeResponse {
  return { status: 201, headers: { 'X-Created': String(id), 'X-location': `${req.apiUrl}/${entity}/${id}` } };
}

/** 200 with `X-location`; the HTTP layer turns it into 303 + Location for PUT (spec/OBSERVED.md). */
export function updated(req: FakeRequest, location: string): FakeResponse {
  return { status: 200, headers: { 'X-location': `${req.apiUrl}/${location}` } };
}

export function deleted(entity: string, id: number | string): FakeResponse {
  return { status: 200, headers: { 'X-deleted': `${entity} ${id}` } };
}

export const nothingDeleted: FakeResponse = { status: 204 };

export function database(req: FakeRequest, param = 'databaseId'): Database {
  const d = acc(req).findDatabase(req.params[param] ?? '');
  if (!d) throw new FakeApiError(MSG.database);
  return d;
}

export function collection(req: FakeRequest, param = 'collectionId'): Collection {
  const c = acc(req).findCollection(req.params[param] ?? '');
  if (!c) throw new FakeApiError(MSG.collection);
  return c;
}

/** Only the collections of this database (for `/profile/{id}/subprofiles/{collectionId}`). */
export function collectionOf(db: Database, ref: string): Collection {
  const c = db.collections.find((x) => String(x.id) === ref) ?? db.collections.find((x) => x.name.toLowerCase() === ref.toLowerCase());
  if (!c) throw new FakeApiError(MSG.collection);
  return c;
}

export function numericParam(req: FakeRequest, param: string, msg: string): number {
  const v = req.params[param] ?? '';
  if (!/^\d{1,15}$/.test(v)) throw new FakeApiError(msg);
  return Number(v);
}

/** A profile that exists (live or removed) and its database. */
export function profileRef(req: FakeRequest): { db: Database; id: number } {
  const id = numericParam(req, 'profileId', MSG.profile);
  const db = acc(req).databaseOf(id);
  if (!db || !db.has(id)) throw new FakeApiError(MSG.profile);
  return { db, id };
}

export function liveProfile(req: FakeRequest): { db: Database; id: number } {
  const r = profileRef(req);
  if (!r.db.isLive(r.id)) throw new FakeApiError(MSG.profile);
  return r;
}

export function subprofileRef(req: FakeRequest): { c: Collection; id: number; live: boolean } {
  const id = numericParam(req, 'subprofileId', MSG.subprofile);
  const c = acc(req).subOwner.get(id);
  const r = c?.recs.get(id);
  if (!c || !r) throw new FakeApiError(MSG.subprofile);
  return { c, id, live: r.removed === 0 };
}

export function view(req: FakeRequest): ViewDef {
  const v = acc(req).views.get(numericParam(req, 'viewId', MSG.view));
  if (!v) throw new FakeApiError(MSG.view);
  return v;
}

export function miniview(req: FakeRequest): MiniviewDef {
  const m = acc(req).miniviews.get(numericParam(req, 'miniviewId', MSG.miniview));
  if (!m) throw new FakeApiError(MSG.miniview);
  return m;
}

/** Rule by ID, or by name (API §1.1). */
export function ruleByRef(map: Map<number, RuleDef>, ref: string, msg: string): RuleDef {
  if (/^\d+$/.test(ref)) {
    const r = map.get(Number(ref));
    if (r) return r;
  }
  const lower = ref.toLowerCase();
  for (const r of map.values()) if (r.name.toLowerCase() === lower) return r;
  throw new FakeApiError(msg);
}

/**
 * The body as a flat object; anything else → `Invalid data provided`. An absent body is `{}`, and
 * so is `[]`: what Copernica's own PHP class sends for empty data, accepted live (spec/OBSERVED.md "Writes").
 */
export function objectBody(req: FakeRequest): Record<string, unknown> {
  if (req.body === undefined || req.body === '' || (Array.isArray(req.body) && req.body.length === 0)) return {};
  if (!isPlainObject(req.body)) throw new FakeApiError(MSG.invalidData);
  return req.body;
}

/**
 * Copy a body's keys onto a stored object as own data properties. `Object.assign` would run the
 * `__proto__` setter for a body key `__proto__` and make the body the stored object's prototype.
 */
export function assignOwn(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const k of Object.keys(source)) setOwn(target, k, source[k]);
}

export function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}
