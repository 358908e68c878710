import { defineConfig, type Options } from 'tsup';

// Every built file starts by loading dist/node-version.cjs, a module without imports that throws
// one clear line on a Node older than `engines` (undici would otherwise crash while loading with
// "Cannot read properties of undefined (reading 'bind')"). A module evaluates its imports in
// order, depth first, so the check must be the first import of every file, chunks included: a
// banner is the one place that puts it there. The CJS files are built by tsup as ESM and converted
// by rollup, which turns the banner's import into the file's first require. The guard is one
// CommonJS file for both formats (ESM can import it on every Node; CJS cannot require ESM on Node 20).
// test/package.test.ts checks the order in every built file and the message on a real Node 20.
const guard: Options['banner'] = () => ({ js: "import './node-version.cjs';" });
// The bins print the line and exit 1 instead of throwing (no stack trace under `npx copernica`).
const binGuard: Options['banner'] = () => ({ js: "import './node-version-bin.cjs';" });

const BINS = { 'fake-bin': 'src/testing/bin.ts', cli: 'src/cli/index.ts' };

// The bins' chunks are not bins: they start with the library's guard, like every other chunk (the
// bin's own guard has run by the time a chunk loads).
const libraryGuardInChunks: NonNullable<Options['plugins']>[number] = {
  name: 'library-guard-in-chunks',
  renderChunk(code, info) {
    const file = info.path.split(/[\\/]/).pop() ?? '';
    if (Object.keys(BINS).some((bin) => file === `${bin}.js`)) return undefined;
    return { code: code.replace("import './node-version-bin.cjs';", "import './node-version.cjs';") };
  },
};

export default defineConfig([
  {
    // The guards themselves: each a single file without imports.
    entry: { 'node-version': 'src/node-version.ts', 'node-version-bin': 'src/node-version-bin.ts' },
    format: ['cjs'],
    dts: false,
    sourcemap: false,
    clean: false,
    target: 'node22',
    splitting: false,
    treeshake: false,
  },
  {
    // The library: ESM + CJS + .d.ts/.d.cts for the root and each subpath entry.
    entry: {
      index: 'src/index.ts',
      oauth: 'src/oauth/index.ts',
      testing: 'src/testing/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: false,
    clean: false,
    target: 'node22',
    // Shared chunks, so `copernica-rest` and `copernica-rest/oauth` hand out the same classes.
    splitting: true,
    treeshake: true,
    banner: guard,
  },
  {
    // Executables: ESM only, no types.
    entry: BINS,
    format: ['esm'],
    dts: false,
    sourcemap: false,
    clean: false,
    target: 'node22',
    // Split: what a command needs (the SDK, the fake, node:http, …) is a chunk its action imports,
    // so `copernica --help` loads commander and the command definitions only (BENCHMARKS.md).
    splitting: true,
    esbuildOptions(options) {
      options.chunkNames = 'chunk-[hash]';
    },
    banner: binGuard,
    plugins: [libraryGuardInChunks],
  },
]);
