import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    files: ['**/*.ts'],
    rules: {
      // Domain logic is plain TypeScript: no framework, no database, no network.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', 'typeorm', 'pg', 'express', 'react', 'react-dom', 'socket.io*'],
              message: 'libs/domain imports no framework.',
            },
          ],
        },
      ],
    },
  },
];
