// The jest config of `npm run test:mutation` (stryker.config.mjs): the domain specs alone (not the root config's
// API projects), without the fast path's long property tests, with fewer random cases per property.
const path = require('node:path');
const swc = require('../../../../../jest.swc.cjs');
const nxPreset = require('../../../../../jest.preset.js');

module.exports = {
  ...nxPreset,
  rootDir: path.resolve(__dirname, '../../..'),
  displayName: 'domain',
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': swc },
  moduleFileExtensions: ['ts', 'js'],
  // the specs of the mutated files (money, allocation, the ledger)
  // (STRYKER_SPECS=core: only money, allocation and the sharing policy's specs, for a quick run on money.ts and
  // allocation.ts: `STRYKER_SPECS=core npx stryker run --mutate libs/domain/src/money.ts,libs/domain/src/allocation.ts`)
  testMatch:
    process.env.STRYKER_SPECS === 'core'
      ? [
          '<rootDir>/src/money.spec.ts',
          '<rootDir>/src/allocation.spec.ts',
          '<rootDir>/src/ledger/sharing-policy.spec.ts',
        ]
      : ['<rootDir>/src/money.spec.ts', '<rootDir>/src/allocation.spec.ts', '<rootDir>/src/ledger/*.spec.ts'],
  // The fast path's property tests compare it with the reference verifier over thousands of random exports (40 s a
  // run here); the mutated files are the reference, which the other specs test directly.
  testPathIgnorePatterns: ['/node_modules/', '/fast-path\\.spec\\.ts$'],
  // 25 random cases per property instead of 100 (each spec runs once per mutant)
  setupFiles: ['<rootDir>/src/ledger/testing/stryker-fast-check.cjs'],
};
