import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/*/src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Live tests start their own servers; two cores here, so keep file parallelism modest.
    maxWorkers: 3,
    reporters: ['default'],
  },
})
