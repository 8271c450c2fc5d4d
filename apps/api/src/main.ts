/**
 * Xiangbo API: serves /api, the socket.io live rooms and, when built, the storefront at "/".
 *   node dist/apps/api/main.js                      start (DATABASE_URL or the embedded PostgreSQL)
 *   node dist/apps/api/main.js create-admin EMAIL   create or promote a platform admin (password from ADMIN_PASSWORD or stdin)
 */
import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import { apiDocsEnabled, createApp } from './app.factory';
import { AuthService } from './auth/auth.service';
import { ConfigError, describeConfig, loadConfig } from './config/config';
import { EmbeddedDatabase, startEmbeddedPostgres } from './database/embedded-postgres';
import { runMigrations } from './database/migrate';
import { DEMO_PASSWORD, seedDemo } from './demo/demo-seed';

async function readPassword(): Promise<string> {
  if (process.env.ADMIN_PASSWORD) return process.env.ADMIN_PASSWORD;
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  const log = new Logger('Bootstrap');
  if (config.SMOKE_TEST) {
    log.warn(
      'SMOKE_TEST is set: production settings accept the offline Stripe and SMS stand-ins (never in a deployment)',
    );
  }
  let embedded: EmbeddedDatabase | undefined;
  const databaseUrl =
    config.DATABASE_URL ??
    (embedded = await startEmbeddedPostgres({
      dir: config.EMBEDDED_PG_DIR,
      port: config.EMBEDDED_PG_PORT,
      database: 'xiangbo',
      onPortChanged: (asked, used) =>
        log.warn(`port ${asked} is taken (another checkout's database?): the embedded PostgreSQL uses ${used}`),
    })).url;
  if (embedded) log.log(`embedded PostgreSQL started (data in ${config.EMBEDDED_PG_DIR}, port ${embedded.port})`);

  const ran = await runMigrations(databaseUrl);
  if (ran.length) log.log(`migrations applied: ${ran.join(', ')}`);

  const app = await createApp(config, databaseUrl);
  const stopEmbedded = async () => {
    await embedded?.stop().catch(() => undefined);
  };

  const [command, arg] = process.argv.slice(2);
  if (command === 'create-admin') {
    if (!arg) throw new Error('usage: create-admin EMAIL (password from ADMIN_PASSWORD or standard input)');
    const password = await readPassword();
    if (password.length < 12) throw new Error('the admin password must be at least 12 characters');
    await app.init();
    const { created } = await app.get(AuthService).ensurePlatformAdmin(arg, password);
    console.log(created ? `created platform admin ${arg}` : `${arg} is now a platform admin`);
    await app.close();
    await stopEmbedded();
    return;
  }
  if (command) throw new Error(`unknown command ${command}`);

  await app.init();
  if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) {
    await app.get(AuthService).ensurePlatformAdmin(config.ADMIN_EMAIL, config.ADMIN_PASSWORD);
  }
  if (config.SEED_DEMO) {
    const accounts = await seedDemo(app);
    console.log(`\n演示账号 Demo accounts (password: ${DEMO_PASSWORD})`);
    for (const a of accounts) console.log(`  ${a.email.padEnd(24)} ${a.displayName}  [${a.roles.join(', ')}]`);
  }
  // Node closes an idle kept-alive connection after 5 s by default. A client (nginx's upstream pool, a phone's HTTP
  // stack, Playwright's request context) that sends on such a connection just as it closes gets ECONNRESET: CI saw
  // it as "socket hang up" on a GET after 6 s of browser steps. Idle connections stay open longer than the usual
  // 60 s idle timeout of proxies and load balancers, and headers may take a little longer still (Node's rule).
  await app.listen(config.PORT, config.HOST);
  const server: Server = app.getHttpServer();
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  log.log({ config: describeConfig(config) }, 'configuration');
  const docs = apiDocsEnabled(config) ? `  (API docs: http://localhost:${config.PORT}/api/docs)` : '';
  console.log(`\n乡播 Xiangbo is running: http://localhost:${config.PORT}/${docs}\n`);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, async () => {
      await app.close();
      await stopEmbedded();
      process.exit(0);
    });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
