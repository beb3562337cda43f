import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = fileURLToPath(new URL('./src/', import.meta.url));

export default defineConfig({
  // The package's own name resolves to the sources (as tsconfig `paths` does for tsc and tsx), so
  // examples and tests import 'coarsegrain', 'coarsegrain/node', ... without a prior build.
  resolve: {
    alias: [
      { find: /^coarsegrain$/, replacement: `${src}index.ts` },
      { find: /^coarsegrain\/(kernels|node|parallel|distributed)$/, replacement: `${src}$1/index.ts` },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'threads',
  },
});
