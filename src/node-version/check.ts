/**
 * The Node.js version check, without imports of any kind: it is bundled into dist/node-version.cjs
 * (the library's guard) and dist/node-version-bin.cjs (the bins' guard), which every built file
 * loads before anything else. See tsup.config.ts.
 *
 * @internal
 */

/** The oldest Node.js the package supports: package.json `engines.node` is `>=` this (checked by a test). */
export const MINIMUM_NODE = '22.19.0';

/** The one-line reason this package cannot run on Node `version` (`process.versions.node`), or null when it can. */
export function nodeVersionProblem(version: string | undefined = globalThis.process?.versions?.node): string | null {
  const [major = 0, minor = 0] = (version ?? '0.0.0').split('.').map(Number);
  const [needMajor = 0, needMinor = 0] = MINIMUM_NODE.split('.').map(Number);
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return null;
  return `copernica-rest needs Node.js ${needMajor}.${needMinor} or newer (package.json "engines": ">=${needMajor}.${needMinor}"); this is Node.js v${version ?? 'unknown'}.`;
}
