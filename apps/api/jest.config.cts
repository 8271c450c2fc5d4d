module.exports = {
  displayName: 'api',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': require('../../jest.swc.cjs') },
  moduleFileExtensions: ['ts', 'js'],
  // One PostgreSQL database per test run, migrated once; each test file clones it (see test/global-setup.ts).
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60000,
  coverageDirectory: '../../coverage/apps/api',
};
