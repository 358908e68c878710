/**
 * What a write tells: the results of POST, PUT and DELETE, read from the reply's status and headers
 * (their bodies are empty). One module for all three, so a create, an update and a delete report in
 * the same words.
 */
import type { CoreResponse } from './transport.js';

/** Parsed write headers of POST, PUT and DELETE replies. */
export interface WriteResult {
  /** HTTP status: 201 after a create, 200 or 303 after an update, 200 or 204 after a delete. */
  status: number;
  /** ID of the created or touched entity, from `X-Created`, else the last segment of `X-location`/`Location`. */
  id: number | undefined;
  /** `X-location` (or `Location`) of the entity, secrets redacted. */
  location: string | undefined;
}

/**
 * Result of a POST that creates an entity: a {@link WriteResult} whose `id` is always there (every
 * create page promises the new ID). When the reply does not carry one, the call fails with an
 * InvalidResponseError instead.
 */
export interface CreateResult extends WriteResult {
  /** ID of the new entity, from `X-Created`, else the last segment of `X-location`/`Location`. */
  id: number;
}

/** Result of a DELETE. */
export interface DeleteResult {
  /** True when something was removed (200), false when there was nothing to remove (204). */
  removed: boolean;
  /** HTTP status: 200 (removed) or 204 (nothing to remove). */
  status: number;
  /** The `X-deleted` header, e.g. `profile 4567`. */
  deleted: string | undefined;
}

/** The result of a POST or PUT: status, the ID from `X-Created` or the location's last segment, the location. */
export function writeResultOf(res: CoreResponse): WriteResult {
  const created = res.header('x-created');
  const location = res.header('x-location') ?? res.header('location');
  let id: number | undefined;
  if (created && /^\s*\d+\s*$/.test(created)) id = Number(created);
  else if (location) {
    const pathOnly = location.split(/[?#]/)[0] ?? '';
    const last = pathOnly.replace(/\/+$/, '').split('/').pop() ?? '';
    if (/^\d+$/.test(last)) id = Number(last);
  }
  return { status: res.status, id, location };
}

/** The result of a DELETE: 204 means there was nothing to remove. */
export function deleteResultOf(res: CoreResponse): DeleteResult {
  return { removed: res.status !== 204, status: res.status, deleted: res.header('x-deleted') };
}
