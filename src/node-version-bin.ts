/**
 * The bins' guard (`copernica`, `copernica-fake`): on a Node older than `engines` they print the
 * one line of {@link nodeVersionProblem} on stderr and exit with status 1, instead of a stack
 * trace. Loaded first by dist/cli.js and dist/fake-bin.js (see tsup.config.ts).
 *
 * @internal
 */
import { nodeVersionProblem } from './node-version/check.js';

const problem = nodeVersionProblem();
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
