import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 120_000,
    // Runtime and e2e suites start servers; they are few and long, the rest are fast.
    reporters: ['default'],
  },
})
