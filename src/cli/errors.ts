/**
 * CLI errors and exit codes: 0 ok, 1 runtime or API error, 2 usage error. Every error becomes ONE
 * line on stderr, `copernica: <ErrorName>: <message>`, with secrets redacted; a stack only with
 * `--debug`.
 */
import { CommanderError } from 'commander';
import { isCopernicaError } from '../core/errors.js';
import { redact } from '../core/redact.js';

/** Bad arguments found by the CLI itself (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A runtime problem outside the SDK: no token, a config file that does not parse (exit code 1). */
export class CliError extends Error {
  override name = 'CliError';
}

/** Exit code of an error: 2 for usage and input validation errors, 1 for everything else. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) {
    // --help and --version exit 0; help shown for a missing subcommand and every parse error: 2.
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof UsageError) return 2;
  if (isCopernicaError(error) && error.code === 'validation_error') return 2;
  return 1;
}

/** Name and message of an error on one line, with secrets redacted. */
export function errorLine(error: unknown, secrets: readonly string[]): string {
  let name: string;
  let message: string;
  if (error instanceof CommanderError) {
    name = 'UsageError';
    message = error.message.replace(/^error:\s*/i, '');
  } else if (error instanceof Error) {
    name = error.name || 'Error';
    message = error.message;
  } else {
    name = 'Error';
    message = String(error);
  }
  const line = `copernica: ${name}: ${oneLine(message)}`;
  return redact(line, secrets.filter(Boolean));
}

/** The stack of an error (and its causes), redacted, for `--debug`. */
export function debugText(error: unknown, secrets: readonly string[]): string {
  const parts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e !== undefined && depth < 5; depth++) {
    parts.push(e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e));
    e = e instanceof Error ? e.cause : undefined;
    if (e !== undefined) parts.push('Caused by:');
  }
  return redact(parts.join('\n'), secrets.filter(Boolean));
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
