/**
 * The field definitions `validateFields` checks values against, kept per client: fetched once per
 * database, and forgotten when a field of that database is created, changed or deleted through the
 * client (or a client made from it with `withOptions`: same token, same base URL, same cache), so a
 * field added a moment ago is never refused. `client.profiles.clearFieldCache()` forgets them by
 * hand (for fields changed elsewhere: the web interface, another process).
 */
import type { Core } from '../core/transport.js';
import type { Field } from './fields.js';

/** @internal The cached definitions of one client, by numeric database ID. */
export class FieldDefinitions {
  readonly #byDatabase = new Map<number, Promise<Field[]>>();

  /**
   * The definitions of a database: the cached ones, or `load()`'s (kept while they are fetched, so
   * concurrent calls share one fetch; a failed fetch is not kept).
   */
  get(databaseId: number, load: () => Promise<Field[]>): Promise<Field[]> {
    let defs = this.#byDatabase.get(databaseId);
    if (!defs) {
      const loading = load();
      defs = loading;
      this.#byDatabase.set(databaseId, loading);
      // Drop it on failure, unless it was forgotten and fetched again meanwhile.
      loading.catch(() => {
        if (this.#byDatabase.get(databaseId) === loading) this.#byDatabase.delete(databaseId);
      });
    }
    return defs;
  }

  /** Forgets one database's definitions, or every database's (`undefined`). */
  forget(databaseId?: number): void {
    if (databaseId === undefined) this.#byDatabase.clear();
    else this.#byDatabase.delete(databaseId);
  }

  /** The database IDs with definitions kept or in flight (tests). */
  get size(): number {
    return this.#byDatabase.size;
  }
}

const caches = new WeakMap<Core, FieldDefinitions>();

/** @internal The field definitions of the client `core` belongs to. */
export function fieldDefinitions(core: Core): FieldDefinitions {
  let cache = caches.get(core);
  if (!cache) {
    cache = new FieldDefinitions();
    caches.set(core, cache);
  }
  return cache;
}

/**
 * @internal A client made with `withOptions` shares its parent's definitions (same token, so the
 * same account), unless it talks to another base URL.
 */
export function shareFieldDefinitions(parent: Core, child: Core): void {
  if (child.config.baseUrl === parent.config.baseUrl) caches.set(child, fieldDefinitions(parent));
}

/**
 * @internal Runs a write to a database's fields and forgets that database's definitions when it
 * settles, whatever the outcome (a failed or timed-out write may still have changed the fields).
 * A database given by name (or anything not a numeric ID) forgets every database: the cache is
 * keyed by ID, and one extra fetch costs less than a stale definition.
 */
export function afterFieldWrite<T>(core: Core, databaseId: unknown, write: Promise<T>): Promise<T> {
  const id =
    typeof databaseId === 'number'
      ? databaseId
      : typeof databaseId === 'string' && /^[1-9]\d*$/.test(databaseId)
        ? Number(databaseId)
        : undefined;
  return write.finally(() => fieldDefinitions(core).forget(Number.isSafeInteger(id) ? id : undefined));
}
