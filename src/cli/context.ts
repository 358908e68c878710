/** What every command gets: the environment, the output streams, the global options and a lazy client. */
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import type { Copernica } from '../client.js';
import type { Env, GlobalOptions, makeClient } from './config.js';

/** stderr as the CLI sees it: a progress bar is drawn only when `isTTY` is true. */
export type ErrorStream = Writable & { isTTY?: boolean; columns?: number };

export interface CliIO {
  env: Env;
  stdout: Writable;
  stderr: ErrorStream;
}

export class CliContext {
  readonly env: Env;
  readonly stdout: Writable;
  readonly stderr: ErrorStream;
  /** Values redacted from every error line (the token in use, the client secret). */
  readonly secrets: string[] = [];
  #client: Copernica | undefined;
  /** The SDK side of the CLI (config file, client), loaded by {@link prepare}: `--help` never loads it. */
  #makeClient: typeof makeClient | undefined;
  #program: Command | undefined;

  constructor(io: CliIO) {
    this.env = io.env;
    this.stdout = io.stdout;
    this.stderr = io.stderr;
  }

  /** @internal */
  setProgram(program: Command): void {
    this.#program = program;
  }

  /** `--base-url` and `--debug`, wherever they were given on the command line. */
  get globals(): GlobalOptions {
    return (this.#program?.opts() ?? {}) as GlobalOptions;
  }

  /** Loads the SDK before a command's action runs (the program calls it in a `preAction` hook). */
  async prepare(): Promise<void> {
    this.#makeClient ??= (await import('./config.js')).makeClient;
  }

  /** The client from the token and base URL in effect (made on first use, after {@link prepare}). */
  client(): Copernica {
    if (!this.#client) {
      if (!this.#makeClient) throw new Error('CliContext.client() before prepare()');
      const { client, token } = this.#makeClient(this.globals, this.env, (text) => this.note(text));
      this.secrets.push(token);
      this.#client = client;
    }
    return this.#client;
  }

  /** A progress message on stderr. */
  note(text: string): void {
    this.stderr.write(`${text}\n`);
  }
}
