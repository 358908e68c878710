/**
 * The first module every built library file evaluates (tsup puts an import of dist/node-version.cjs
 * at the top of each ESM file and a require at the top of each CJS file, ahead of undici): on a
 * Node older than `engines` the package would otherwise fail deep inside undici with
 * `TypeError: Cannot read properties of undefined (reading 'bind')`. Bundled without imports, so
 * it runs before any dependency is evaluated. test/package.test.ts checks it on a real Node 20.
 *
 * @internal
 */
import { nodeVersionProblem } from './node-version/check.js';

export { MINIMUM_NODE, nodeVersionProblem } from './node-version/check.js';

const problem = nodeVersionProblem();
if (problem) throw new Error(problem);
