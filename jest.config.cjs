// All jest projects: domain and contracts (unit), API (unit + integration against PostgreSQL).
module.exports = {
  projects: [
    '<rootDir>/libs/domain/jest.config.cts',
    '<rootDir>/libs/contracts/jest.config.cts',
    '<rootDir>/apps/api/jest.config.cts',
  ],
};
