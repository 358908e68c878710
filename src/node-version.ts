/**
 * The first module every built file of the package evaluates (tsup puts an import of it at the top
 * of each ESM file and a require of it at the top of each CJS file, ahead of undici): on a Node
 * older than `engines` the package would otherwise fail deep inside undici with
 * `TypeError: Cannot read properties of undefined (reading 'bind')`. It imports nothing, so it runs
 * before any dependency is evaluated. test/package.test.ts checks it on a real Node 20.
 *
 * @internal
 */

/** The oldest Node.js the package supports: package.json `engines.node` is `>=` this (checked by a test). */
export const MINIMUM_NODE = '22.19.0';

const [major = 0, minor = 0] = (globalThis.process?.versions?.node ?? '0.0.0').split('.').map(Number);
const [needMajor = 0, needMinor = 0] = MINIMUM_NODE.split('.').map(Number);
if (major < needMajor || (major === needMajor && minor < needMinor)) {
  throw new Error(
    `copernica-rest needs Node.js ${needMajor}.${needMinor} or newer (package.json "engines": ">=${needMajor}.${needMinor}"); this is Node.js ${globalThis.process.version}.`,
  );
}
