// Mutation testing of the money core (issue 16): `npm run test:mutation`, outside the README's test command (it
// re-runs the domain specs once per mutant; tens of minutes on a shared 2-core machine). Run it alone:
//   flock /tmp/bench.lock npm run test:mutation
// The report lands in reports/mutation/ (HTML and JSON, not committed); the score is printed at the end.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  // Only what the domain specs need is copied into the sandbox (docs/ holds the committed ledger vectors).
  ignorePatterns: ['apps', 'e2e', 'bench', 'docker', 'tools', 'reports', 'dist', '.data', 'test-results'],
  mutate: [
    'libs/domain/src/money.ts',
    'libs/domain/src/allocation.ts',
    'libs/domain/src/ledger/sharing-policy.ts',
    'libs/domain/src/ledger/settlement-check.ts',
    'libs/domain/src/ledger/ledger.ts',
    'libs/domain/src/ledger/verify.ts',
    'libs/domain/src/ledger/money-rules.ts',
  ],
  jest: {
    projectType: 'custom',
    // the domain specs only (the root jest config would add the API's projects, which need a database)
    configFile: 'libs/domain/src/ledger/testing/jest.stryker.cjs',
    enableFindRelatedTests: false,
  },
  coverageAnalysis: 'perTest',
  // Static mutants (module-level constants such as account codes and labels) would re-run every spec each: about
  // 500 of them, more than half the time. They are left out; the report says how many.
  ignoreStatic: true,
  concurrency: 1,
  timeoutMS: 5000,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
  // Later runs re-test only the mutants whose code or covering tests changed (the file is not committed).
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
