// Jest setup used only by `npm run test:mutation` (stryker.config.mjs): fewer fast-check runs per property, since the
// domain specs run once per mutant there. The ordinary test run keeps each property's own numRuns.
const fc = require('fast-check');

fc.configureGlobal({ numRuns: 25, endOnFailure: true });
