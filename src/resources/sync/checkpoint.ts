/**
 * Checkpoints of `client.profiles.sync()`: where a run that died resumes. A checkpoint holds the
 * number of leading source records whose outcome is final and was handed to the caller; a resumed
 * run skips that many records of the (same, same-order) source.
 */
import { readFile, rename, writeFile, unlink } from 'node:fs/promises';
import { ValidationError } from '../../core/errors.js';

/** What a checkpoint stores. */
export interface SyncCheckpointState {
  /** Format version: 1. */
  version: 1;
  /** The database synced. A checkpoint of another database (or key) is refused, not reused. */
  database: number;
  /** The key field of the run. */
  key: string;
  /** Leading source records whose outcome is final (the contiguous prefix; with concurrency, later records may have finished too and are redone, idempotently). */
  position: number;
  /** True once the whole source was synced: a new run starts from the beginning. */
  complete: boolean;
  /** When the state was saved (ISO 8601). */
  savedAt: string;
}

/** Where a sync run keeps its progress. `load` and `save` may be sync or async. */
export interface SyncCheckpoint {
  /** The saved state, or undefined when there is none. */
  load(): SyncCheckpointState | undefined | Promise<SyncCheckpointState | undefined>;
  /** Saves the state (called every `saveEvery` records, when the run stops, and when it ends). */
  save(state: SyncCheckpointState): void | Promise<void>;
}

/** A checkpoint held in memory (tests, or a run resumed within one process). */
export class MemoryCheckpoint implements SyncCheckpoint {
  #state: SyncCheckpointState | undefined;
  constructor(state?: SyncCheckpointState) {
    this.#state = state ? { ...state } : undefined;
  }
  /** The last saved state. */
  get state(): SyncCheckpointState | undefined {
    return this.#state ? { ...this.#state } : undefined;
  }
  load(): SyncCheckpointState | undefined {
    return this.state;
  }
  save(state: SyncCheckpointState): void {
    this.#state = { ...state };
  }
}

/** Checks a loaded state; a damaged file is refused rather than silently restarting or skipping. */
export function checkCheckpointState(value: unknown, where: string): SyncCheckpointState {
  const v = value as Partial<SyncCheckpointState> | null;
  if (
    typeof v !== 'object' ||
    v === null ||
    v.version !== 1 ||
    !Number.isSafeInteger(v.database) ||
    typeof v.key !== 'string' ||
    !Number.isSafeInteger(v.position) ||
    (v.position as number) < 0 ||
    typeof v.complete !== 'boolean'
  ) {
    throw new ValidationError(`Invalid checkpoint ${where}: not a sync checkpoint (version 1)`, [
      `checkpoint: ${where} is not a sync checkpoint`,
    ]);
  }
  return {
    version: 1,
    database: v.database as number,
    key: v.key,
    position: v.position as number,
    complete: v.complete,
    savedAt: String(v.savedAt ?? ''),
  };
}

/**
 * A checkpoint in a JSON file. Saves write a temporary file and rename it over the old one, so a
 * crash during a save leaves the previous checkpoint intact.
 */
export class FileCheckpoint implements SyncCheckpoint {
  readonly #file: string;
  constructor(file: string) {
    if (typeof file !== 'string' || file === '') throw new ValidationError('FileCheckpoint needs a file path', ['file: required']);
    this.#file = file;
  }
  /** The file path. */
  get file(): string {
    return this.#file;
  }
  async load(): Promise<SyncCheckpointState | undefined> {
    let text: string;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ValidationError(`Invalid checkpoint ${this.#file}: not JSON`, [`checkpoint: ${this.#file} is not JSON`]);
    }
    return checkCheckpointState(parsed, this.#file);
  }
  async save(state: SyncCheckpointState): Promise<void> {
    const tmp = `${this.#file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(state)}\n`);
    try {
      await rename(tmp, this.#file);
    } catch (error) {
      await unlink(tmp).catch(() => undefined);
      throw error;
    }
  }
}
