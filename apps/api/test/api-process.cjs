/**
 * Boots the API from its TypeScript sources in a process of its own, for tests that must kill a process outright
 * (SIGKILL in the middle of a rush): the same SWC transform as jest, the same path aliases, the same config
 * defaults as the test app. Environment: DATABASE_URL (required), REDIS_URL, PORT (0: a free one), HOST
 * (127.0.0.1), and any app setting. Prints `ready <port>` on stdout once it listens. The benchmarks start the API
 * this way too (bench/live-common.ts): the built bundle is always `production`, which needs Stripe and an SMS provider.
 */
const Module = require('node:module');
const path = require('node:path');
const { addHook } = require('pirates');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '../../..');
const aliases = {
  '@xiangbo/contracts': path.join(root, 'libs/contracts/src/index.ts'),
  '@xiangbo/domain': path.join(root, 'libs/domain/src/index.ts'),
};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, aliases[request] ?? request, ...rest);
};
addHook(
  (code, filename) =>
    transformSync(code, {
      filename,
      jsc: {
        parser: { syntax: 'typescript', decorators: true, tsx: false },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        target: 'es2022',
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    }).code,
  { exts: ['.ts'], ignoreNodeModules: true },
);

async function main() {
  const { createApp } = require(path.join(root, 'apps/api/src/app.factory.ts'));
  const { loadConfig } = require(path.join(root, 'apps/api/src/config/config.ts'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    STOREFRONT_DIR: '/nonexistent',
    JOBS_ENABLED: 'false',
    MEDIA_SERVER: 'off',
    ...process.env,
  });
  const app = await createApp(config, process.env.DATABASE_URL);
  await app.init();
  await app.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
  process.stdout.write(`ready ${app.getHttpServer().address().port}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
