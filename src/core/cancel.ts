/**
 * The cancel signal of one call: what the transport hands to undici, fired by the call's deadline
 * or by the caller's signal, and what the retry sleep listens to.
 */

/** The reason the signal fires with when the call's deadline passes. */
export class DeadlineReached extends Error {
  override name = 'DeadlineReached';
}

/**
 * The cancel signal handed to undici: the smallest object undici accepts as a signal, an
 * `addEventListener`/`removeEventListener` pair for `abort` (undici/lib/core/util.js,
 * `addAbortListener`). An AbortController and its listener were about 4% of a small call, and an
 * EventEmitter's `once` wrapper and listener table most of the signal's remaining garbage per call
 * (measured). It fires on the deadline or on the caller's signal, once. Its twin is AbortController:
 * test/core/parity.test.ts runs both over generated add/remove/abort sequences.
 */
export class Cancel {
  // Deliberately no `aborted` property: undici takes an object with `aborted` for a real AbortSignal.
  fired = false;
  reason: unknown = undefined;
  /** True when the deadline (not the caller) fired. */
  timedOut = false;
  #listeners: (() => void)[] | undefined;

  addEventListener(_type: 'abort', listener: () => void): void {
    (this.#listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const list = this.#listeners;
    const i = list === undefined ? -1 : list.indexOf(listener);
    if (i >= 0) list!.splice(i, 1);
  }

  abort(reason: unknown): void {
    if (this.fired) return;
    this.fired = true;
    this.timedOut = reason instanceof DeadlineReached;
    this.reason = reason;
    const list = this.#listeners ?? [];
    this.#listeners = undefined;
    for (const listener of list) listener();
  }
}

/** Waits `ms`, or rejects with the signal's reason when it fires first. */
export function sleep(ms: number, signal: Cancel): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.fired) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort);
  });
}
