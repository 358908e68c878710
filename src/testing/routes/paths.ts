/**
 * How the live service reads a path before any handler runs (spec/OBSERVED.md, "Paths and
 * slashes", "Order of error checks and their messages", "Too-short and over-long paths"):
 *
 * 1. an unknown or wrongly-cased first segment → `Invalid method` (no route matches);
 * 2. `database`, `collection`, `profile` or `subprofile` without an ID → `Invalid request,
 *    element 1 is missing in 'directory' path`;
 * 3. the ID slot, for every method and whatever follows it (an empty segment is an empty ID);
 * 4. DELETE of a removed (sub)profile → `This … has already been removed`, even with junk after it;
 * 5. a sub-path the method lacks → `Invalid method`, or `element N is missing` when a route of
 *    this method needs one more segment; extra segments after a list, a create route or an
 *    entity's `fields` are ignored (see {@link TAIL_IGNORED});
 * 6. then the handler (collection usable, body shape).
 */
import { FakeApiError, type FakeMethod } from '../contract.js';
import type { RouteMatch, Router } from '../router.js';
import type { Account } from '../store.js';
import { MSG } from './helpers.js';

/** Routes whose superfluous trailing segments (empty ones too) the live service ignores. */
const TAIL_IGNORED = new Set([
  'GET /database/{databaseId}/profiles',
  'POST /database/{databaseId}/profiles',
  'PUT /database/{databaseId}/profiles',
  'GET /collection/{collectionId}/subprofiles',
  'GET /profile/{profileId}/subprofiles/{collectionId}',
  'POST /profile/{profileId}/subprofiles/{collectionId}',
  'PUT /profile/{profileId}/subprofiles/{collectionId}',
  'GET /profile/{profileId}/fields',
  'GET /subprofile/{subprofileId}/fields',
]);

/** The route of a path: an exact match, or the longest prefix that is a tail-ignoring route. */
export function matchRoute(router: Router, method: FakeMethod, segs: string[]): RouteMatch | undefined {
  const exact = router.match(method, segs);
  if (exact) return exact;
  for (let k = segs.length - 1; k >= 2; k--) {
    const m = router.match(method, segs.slice(0, k));
    if (m) return TAIL_IGNORED.has(`${m.method} ${m.pattern}`) ? m : undefined;
  }
  return undefined;
}

const missing = (index: number): string => `Invalid request, element ${index} is missing in 'directory' path`;

/** `element N is missing` when a route of this method continues the path by one placeholder; else undefined. */
export function missingElement(router: Router, method: string, segs: string[]): string | undefined {
  if (method !== 'GET' && method !== 'POST' && method !== 'PUT' && method !== 'DELETE') return undefined;
  // Noted live for `POST collection/{cid}/field`; the database form's text is not recorded, the same is used.
  if (segs.length === 3 && segs[2] === 'field' && (segs[0] === 'collection' || segs[0] === 'database') && method !== 'GET')
    return 'No field id supplied for the field';
  // A NUL segment matches no literal, so only a placeholder continuation can match it.
  return router.match(method, [...segs, '\u0000']) ? missing(segs.length) : undefined;
}

const ENTITIES = new Set(['database', 'collection', 'profile', 'subprofile']);
const numericId = (s: string): number | undefined => (/^\d{1,15}$/.test(s) && Number(s) > 0 ? Number(s) : undefined);

/**
 * Steps 2–4 of the live order for the four entity prefixes. Throws the live message; returns
 * when the path may go on to routing. `deleteMissingStatus` 204 lets `DELETE profile/{id}` and
 * `DELETE subprofile/{id}` of a never-existing ID through to the handler, which answers 204.
 */
export function checkPath(method: string, segs: string[], account: Account, deleteMissingStatus: 400 | 204): void {
  const first = segs[0] ?? '';
  if (!ENTITIES.has(first)) return;
  if (segs.length < 2) throw new FakeApiError(missing(1));
  const ref = segs[1] as string;
  const pagesDelete = method === 'DELETE' && deleteMissingStatus === 204 && segs.length === 2;
  switch (first) {
    case 'database':
      if (ref === '' || !account.findDatabase(ref)) throw new FakeApiError(MSG.database);
      return;
    case 'collection':
      if (ref === '' || !account.findCollection(ref)) throw new FakeApiError(MSG.collection);
      return;
    case 'profile': {
      const id = numericId(ref);
      const db = id === undefined ? undefined : account.databaseOf(id);
      if (id === undefined || !db || !db.has(id)) {
        if (pagesDelete && id !== undefined) return;
        throw new FakeApiError(MSG.profile);
      }
      if (method === 'DELETE' && !db.isLive(id)) throw new FakeApiError(MSG.profileRemoved);
      return;
    }
    case 'subprofile': {
      const id = numericId(ref);
      const rec = id === undefined ? undefined : account.subOwner.get(id)?.recs.get(id);
      if (id === undefined || !rec) {
        if (pagesDelete && id !== undefined) return;
        throw new FakeApiError(MSG.subprofile);
      }
      if (method === 'DELETE' && rec.removed) throw new FakeApiError(MSG.subprofileRemoved);
      return;
    }
  }
}
