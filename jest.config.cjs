// All jest projects: domain and contracts (unit), API (unit + integration against PostgreSQL).
// testTimeout is a global option (ignored inside projects): integration tests boot the app and race 200 buyers.
module.exports = {
  testTimeout: 60000,
  projects: [
    '<rootDir>/libs/domain/jest.config.cts',
    '<rootDir>/libs/contracts/jest.config.cts',
    '<rootDir>/apps/api/jest.config.cts',
  ],
};
