/**
 * The API naming scheme (CONTRIBUTING.md, "API naming scheme") holds for every namespace: found by
 * reflection, so a method or namespace added later is checked too. At run time: no entity with a
 * namespace of its own also nests under another; every method name is one of the scheme's verbs
 * (or `<verb>In<Parent>`); every `list…` returns a PageRequest. At compile time (this file is
 * type-checked by `npm test`): every `list…` method is typed to return a PageRequest and every
 * `ids…` method a `Promise<number[]>`; exported `*Options` types are only the ones that say how the
 * SDK behaves.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { Copernica } from '../src/client.js';
import { APIResource } from '../src/core/resource.js';
import { PageRequest } from '../src/core/pagination.js';

const client = new Copernica({ accessToken: 'tok', baseUrl: 'http://127.0.0.1:9/v1', maxRetries: 0 });

/** The client's namespaces: every own property whose value is a resource. */
const namespaces = Object.keys(client).filter((k) => (client as unknown as Record<string, unknown>)[k] instanceof APIResource);

interface Found {
  path: string;
  name: string;
  call: (...args: unknown[]) => unknown;
}

/** Public methods (prototype chain up to APIResource, no `_` helpers) and sub-namespaces, recursively. */
function walk(ns: object, path: string, methods: Found[], nested: string[]): void {
  const names = new Set<string>();
  for (
    let o = Object.getPrototypeOf(ns) as object | null;
    o && o !== APIResource.prototype;
    o = Object.getPrototypeOf(o) as object | null
  ) {
    for (const key of Object.getOwnPropertyNames(o)) names.add(key);
  }
  for (const key of [...names].sort()) {
    const value = (ns as Record<string, unknown>)[key];
    if (key === 'constructor' || key.startsWith('_') || typeof value !== 'function') continue;
    methods.push({ path: `${path}.${key}`, name: key, call: (...args) => (value as (...a: unknown[]) => unknown).apply(ns, args) });
  }
  for (const [key, value] of Object.entries(ns)) {
    if (key.startsWith('_') || !(value instanceof APIResource)) continue;
    nested.push(key);
    walk(value, `${path}.${key}`, methods, nested);
  }
}

const methods: Found[] = [];
const nested: string[] = [];
for (const ns of namespaces) walk((client as unknown as Record<string, object>)[ns]!, ns, methods, nested);

/** The scheme's verbs (rule 3); `list`, `ids`, `create` and `get` may name another parent (rule 4). */
const STANDARD = /^(list|ids|get|create|update|delete)(In[A-Z][a-z]+)?$/;
const OTHER_VERBS = new Set([
  'names',
  'dates',
  'header',
  'records',
  'status',
  'data',
  'changes',
  'updateMany',
  'upsert',
  'sync',
  'add',
  'replace',
  'download',
  'waitUntilReady',
  'body',
]);
/** Methods that send nothing and act on the client's own state: a verb and its object (rule 3). */
const LOCAL = new Set(['clearFieldCache']);
/** Event streams are chosen by what they are about (rule 4). */
const EVENT_STREAM = /^by[A-Z][A-Za-z]+$/;

describe('the API naming scheme holds for every namespace (CONTRIBUTING.md, "API naming scheme")', () => {
  it('found the namespaces and their methods', () => {
    expect(namespaces).toContain('profiles');
    expect(namespaces).not.toContain('sync'); // sync is a verb of profiles (rule 1)
    expect(methods.length).toBeGreaterThan(80);
  });

  it('an entity with a namespace of its own never nests under another (rule 2: nesting says ownership)', () => {
    expect(nested.filter((n) => namespaces.includes(n))).toEqual([]);
  });

  it('every method name is one of the verbs of the scheme', () => {
    const off = methods.filter(
      (m) =>
        !STANDARD.test(m.name) &&
        !OTHER_VERBS.has(m.name) &&
        !LOCAL.has(m.name) &&
        !(m.path.startsWith('events.') && EVENT_STREAM.test(m.name)),
    );
    expect(off.map((m) => m.path)).toEqual([]);
  });

  it('no old name is back: renames of 0.x are not aliased (CHANGELOG "Changed (breaking)")', () => {
    const paths = new Set(methods.map((m) => m.path));
    for (const old of [
      'databases.collections.list',
      'views.views.list',
      'views.profiles',
      'views.profileIds',
      'miniviews.subprofiles',
      'miniviews.subprofileIds',
      'profiles.subprofiles.list',
      'profiles.subprofiles.create',
      'subprofiles.update',
      'profiles.interests.get',
      'profiles.interests.objects',
      'logfiles.list',
    ]) {
      expect(paths.has(old), old).toBe(false);
    }
  });

  it('every list method returns a PageRequest, also where the API sends a bare array (rule 3)', () => {
    const lists = methods.filter((m) => /^list(In[A-Z][a-z]+)?$/.test(m.name));
    expect(lists.length).toBeGreaterThan(15);
    // A PageRequest is lazy: nothing is sent (and a refused argument rejects only when read).
    const notPages = lists.filter((m) => !(m.call(1, 1) instanceof PageRequest)).map((m) => m.path);
    expect(notPages).toEqual([]);
  });

  it('exported *Options types say how the SDK behaves; what is sent is a *Params (rule 7)', () => {
    const index = readFileSync(resolve(import.meta.dirname, '../src/index.ts'), 'utf8');
    const options = [...new Set(index.match(/\b[A-Z]\w*Options?\b/g) ?? [])].sort();
    expect(options).toEqual(['ClientOptions', 'OAuthOptions', 'RequestOptions', 'WaitUntilReadyOptions']);
  });
});

// ---- the same rules as types: a list or ids method typed otherwise does not compile

type AnyFn = (...args: never[]) => unknown;
type NamespaceName = { [K in keyof Copernica]: Copernica[K] extends APIResource ? K : never }[keyof Copernica];
/** Every public method of a namespace and its sub-namespaces, as `{ path, fn }`. */
type MethodsOf<T, P extends string> = {
  [K in keyof T & string]: K extends `_${string}`
    ? never
    : T[K] extends AnyFn
      ? { path: `${P}.${K}`; name: K; fn: T[K] }
      : T[K] extends APIResource
        ? MethodsOf<T[K], `${P}.${K}`>
        : never;
}[keyof T & string];
type AllMethods = { [N in NamespaceName]: MethodsOf<Copernica[N], N> }[NamespaceName];
type ReturnOf<F> = F extends (...args: never[]) => infer R ? R : never;
/** `list…` methods whose return type is not a PageRequest. */
type ListsNotPaged = AllMethods extends infer M
  ? M extends { name: 'list' | `listIn${string}`; fn: infer F }
    ? ReturnOf<F> extends PageRequest<unknown>
      ? never
      : M
    : never
  : never;
/** `ids…` methods whose return type is not `Promise<number[]>`. */
type IdsNotNumbers = AllMethods extends infer M
  ? M extends { name: 'ids' | `idsIn${string}`; fn: infer F }
    ? ReturnOf<F> extends Promise<number[]>
      ? never
      : M
    : never
  : never;

it('types: every list method returns a PageRequest, every ids method a Promise<number[]>', () => {
  expectTypeOf<ListsNotPaged>().toEqualTypeOf<never>();
  expectTypeOf<IdsNotNumbers>().toEqualTypeOf<never>();
  // The walk reaches what it should (a wrong MethodsOf would make the two checks above vacuous).
  expectTypeOf<Extract<AllMethods, { path: 'profiles.listInView' }>['fn']>().toEqualTypeOf<Copernica['profiles']['listInView']>();
  expectTypeOf<Extract<AllMethods, { path: 'profiles.interests.ids' }>['fn']>().toEqualTypeOf<Copernica['profiles']['interests']['ids']>();
  expectTypeOf<Extract<AllMethods, { path: 'rules.conditions.list' }>['fn']>().toEqualTypeOf<Copernica['rules']['conditions']['list']>();
});
