module.exports = {
  displayName: 'api',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': require('../../jest.swc.cjs') },
  moduleFileExtensions: ['ts', 'js'],
  // pg-boss 12 and a few of its dependencies are ES modules: Node loads them with require() at run time, jest's
  // module system does not, so they go through the same SWC transform (to CommonJS) as our sources.
  transformIgnorePatterns: ['/node_modules/(?!(pg-boss|serialize-error|non-error|rrule-temporal)/)'],
  // One PostgreSQL database per test run, migrated once; each test file clones it (see test/global-setup.ts).
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60000,
  coverageDirectory: '../../coverage/apps/api',
};
