import baseConfig from '../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    files: ['**/*.ts'],
    rules: {
      // Playwright fixtures are declared with an empty destructuring pattern.
      'no-empty-pattern': 'off',
    },
  },
];
