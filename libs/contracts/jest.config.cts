module.exports = {
  displayName: 'contracts',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': require('../../jest.swc.cjs') },
  moduleFileExtensions: ['ts', 'js'],
};
