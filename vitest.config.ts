import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(`./src/${p}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Examples and tests may import the package by name; tests run against the sources.
    alias: [
      { find: /^copernica-rest$/, replacement: src('index.ts') },
      { find: /^copernica-rest\/oauth$/, replacement: src('oauth/index.ts') },
      { find: /^copernica-rest\/testing$/, replacement: src('testing/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/consumers/**', 'node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
