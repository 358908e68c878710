#!/usr/bin/env node
/**
 * `copernica`: the command line of copernica-rest. Not part of the library's import graph: the
 * package root never imports `src/cli`.
 */
import { run } from './program.js';

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // `copernica profiles export | head`: the reader went away; that is not an error.
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

run(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`copernica: ${error instanceof Error ? error.name : 'Error'}: unexpected failure\n`);
    process.exitCode = 1;
  },
);
