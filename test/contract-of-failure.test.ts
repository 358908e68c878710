/**
 * One failure contract (issue 14): no public method of any namespace throws synchronously. Every
 * method of every namespace of a client (own and prototype methods, sub-namespaces recursively,
 * found by reflection so a method added later is walked too) is called with hostile arguments; each
 * call must return something, and what it returns must fail as a promise fails: a thenable that
 * rejects with a CopernicaError subclass (or resolves), or, for the streams (events, logfile
 * records, changes, sync runs), an async iterable whose first read rejects that way.
 *
 * The client talks to a loopback server that refuses every request (418), with no retries, so a
 * call that gets past validation fails with an APIError and nothing leaves the machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Copernica } from '../src/client.js';
import { APIResource } from '../src/core/resource.js';
import { CopernicaError, isValidationError } from '../src/core/errors.js';
import { json, scriptedServer, type ScriptedServer } from './helpers/server.js';

let server: ScriptedServer;
/** Properties of namespaces that are neither methods nor namespaces (none expected). */
const unwalked: string[] = [];
let client: Copernica;

beforeAll(async () => {
  server = await scriptedServer([json(418, { error: { message: 'refused by the test server' } })]);
  client = new Copernica({ accessToken: 'tok', baseUrl: server.url, maxRetries: 0, timeout: 5_000 });
});
afterAll(() => server.close());

interface Walked {
  /** e.g. `databases.fields.list` */
  name: string;
  call: (...args: unknown[]) => unknown;
}

/** Every public method reachable from an object: own and prototype methods, namespaces recursively. */
function walk(target: object, prefix: string, out: Walked[], seen = new Set<object>()): Walked[] {
  if (seen.has(target)) return out;
  seen.add(target);
  const names = new Set<string>();
  for (
    let o: object | null = target;
    o && o !== Object.prototype && o !== APIResource.prototype;
    o = Object.getPrototypeOf(o) as object | null
  ) {
    for (const key of Object.getOwnPropertyNames(o)) names.add(key);
  }
  for (const key of [...names].sort()) {
    // `constructor`, and `_`-prefixed members: the @internal helpers the namespaces share.
    if (key === 'constructor' || key.startsWith('_')) continue;
    const value = (target as Record<string, unknown>)[key];
    if (typeof value === 'function')
      out.push({ name: `${prefix}${key}`, call: (...args) => (value as (...a: unknown[]) => unknown).apply(target, args) });
    else if (value instanceof APIResource) walk(value, `${prefix}${key}.`, out, seen);
    // Anything else a namespace exposes would go unwalked: name it, so the walk cannot silently shrink.
    else if (value !== null && (typeof value === 'object' || typeof value === 'undefined')) unwalked.push(`${prefix}${key}`);
  }
  return out;
}

/** The namespaces of the client (every own or prototype property whose value is a resource). */
function methodsOf(c: Copernica): Walked[] {
  const out: Walked[] = [];
  const names = new Set([...Object.getOwnPropertyNames(c), ...Object.getOwnPropertyNames(Copernica.prototype)]);
  for (const key of names) {
    const value = (c as unknown as Record<string, unknown>)[key];
    if (value instanceof APIResource) walk(value, `${key}.`, out);
  }
  // The client's own call: `request` is async like every namespace method. (`withOptions` builds a
  // client, synchronously and without I/O: a bad option throws there, like the constructor.)
  out.push({ name: 'request', call: (...args) => (c.request as (...a: unknown[]) => unknown).apply(c, args) });
  return out;
}

const HOSTILE: readonly unknown[] = [undefined, 'x', -1, {}, NaN, '../1', null];

/** How a returned value settles: `resolved`, or the error it rejected with. */
async function settle(
  value: unknown,
): Promise<{ kind: 'resolved' } | { kind: 'rejected'; error: unknown } | { kind: 'neither'; what: string }> {
  const v = value as { then?: unknown; [Symbol.asyncIterator]?: unknown } | null;
  try {
    if (v !== null && typeof v === 'object' && typeof v.then === 'function') {
      await (v as PromiseLike<unknown>);
      return { kind: 'resolved' };
    }
    if (v !== null && typeof v === 'object' && typeof v[Symbol.asyncIterator] === 'function') {
      const it = (v as AsyncIterable<unknown>)[Symbol.asyncIterator]();
      try {
        await it.next();
      } finally {
        await it.return?.();
      }
      return { kind: 'resolved' };
    }
  } catch (error) {
    return { kind: 'rejected', error };
  }
  return { kind: 'neither', what: v === null ? 'null' : typeof v };
}

describe('one failure contract: no public method throws synchronously', () => {
  it('every method of every namespace, with hostile arguments, returns a promise (or stream) that rejects with a CopernicaError', async () => {
    const methods = methodsOf(client);
    // The walk must really find the namespaces (a walk that finds nothing proves nothing).
    expect(methods.length).toBeGreaterThan(100);
    // Kinds of method that must be among them (patterns, so the namespace renames of issue 14 keep
    // them): a get, a list of a sub-namespace, a stream, a sync run, a method three levels deep.
    const names = methods.map((m) => m.name);
    for (const kind of [
      /^databases\.get$/,
      /^databases\.fields\.list$/,
      /^events\.byProfile$/,
      /^logfiles\.records$/,
      /(^|\.)sync(\.profiles)?$/,
      /^\w+\.\w+\.\w+\.\w+$/,
    ]) {
      expect(
        names.some((n) => kind.test(n)),
        `a method like ${kind}`,
      ).toBe(true);
    }
    expect(unwalked, 'namespace properties that are neither a method nor a namespace').toEqual([]);
    const failures: string[] = [];
    let calls = 0;
    let validationErrors = 0;
    for (const m of methods) {
      const argLists: unknown[][] = [[], ...HOSTILE.map((h) => [h, h, h, h, h])];
      for (const args of argLists) {
        calls++;
        const shown = `${m.name}(${args.map((a) => (typeof a === 'object' && a !== null ? JSON.stringify(a) : typeof a === 'string' ? JSON.stringify(a) : String(a))).join(', ')})`;
        let returned: unknown;
        try {
          returned = m.call(...args);
        } catch (error) {
          failures.push(`${shown} threw synchronously: ${(error as Error)?.name}: ${(error as Error)?.message}`);
          continue;
        }
        // A thenable is a real Promise (`.catch`, `.finally`): list methods' PageRequest included.
        if (typeof (returned as { then?: unknown } | null)?.then === 'function' && !(returned instanceof Promise)) {
          failures.push(`${shown} returned a thenable that is not a Promise`);
        }
        const outcome = await settle(returned);
        if (outcome.kind === 'neither') failures.push(`${shown} returned a ${outcome.what}, neither a promise nor a stream`);
        else if (outcome.kind === 'rejected' && !(outcome.error instanceof CopernicaError)) {
          failures.push(
            `${shown} rejected with a ${(outcome.error as Error)?.name ?? typeof outcome.error}, not a CopernicaError: ${(outcome.error as Error)?.message}`,
          );
        } else if (outcome.kind === 'rejected' && isValidationError(outcome.error)) validationErrors++;
      }
    }
    console.log(
      `contract of failure: ${methods.length} methods walked, ${calls} calls, ${validationErrors} refused as ValidationError, ${server.received.length} requests reached the (refusing) server`,
    );
    expect(failures).toEqual([]);
    // Most hostile calls are refused before anything is sent.
    expect(validationErrors).toBeGreaterThan(calls / 2);
  }, 120_000);
});
