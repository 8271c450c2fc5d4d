import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    files: ['**/*.ts'],
    rules: {
      // Contracts hold no framework code.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', 'typeorm', 'pg', 'express', 'react', 'react-dom'],
              message: 'contracts are plain types and zod schemas shared by API and storefront.',
            },
          ],
        },
      ],
    },
  },
];
