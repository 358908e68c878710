import { defineConfig } from 'tsup';

export default defineConfig([
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
  },
  {
    // Executables: ESM only, no types.
    entry: { 'fake-bin': 'src/testing/bin.ts', cli: 'src/cli/index.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: false,
    clean: false,
    target: 'node22',
    splitting: false,
  },
]);
