/**
 * Developer tool: writes a migration with the SQL that brings a database migrated to HEAD in line with the
 * entities. `npm run db:migration -- AddSomething`. Uses a scratch database on DATABASE_URL's server
 * (or the embedded one) and drops it afterwards.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { Client } from 'pg';
import { dataSourceOptions } from './data-source-options';
import { startEmbeddedPostgres } from './embedded-postgres';

async function main() {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
    console.error('usage: npm run db:migration -- PascalCaseName');
    process.exit(2);
  }
  const embedded = process.env.DATABASE_URL
    ? null
    : await startEmbeddedPostgres({ dir: '.data/postgres', port: 54329, database: 'xiangbo' });
  const serverUrl = new URL(process.env.DATABASE_URL ?? embedded!.url);
  const scratch = `xb_migration_gen_${Date.now()}`;
  const admin = new Client({ connectionString: serverUrl.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${scratch}`);
  serverUrl.pathname = `/${scratch}`;
  const ds = new DataSource(dataSourceOptions(serverUrl.toString()));
  try {
    await ds.initialize();
    await ds.runMigrations();
    const sql = await ds.driver.createSchemaBuilder().log();
    if (sql.upQueries.length === 0) {
      console.log('Entities and migrations agree: nothing to generate.');
      return;
    }
    const ts = Date.now();
    const esc = (q: string) => q.replace(/\\/g, '\\\\').replace(/`/g, '\\`');
    const up = sql.upQueries.map((q) => `    await queryRunner.query(\`${esc(q.query)}\`);`).join('\n');
    const down = [...sql.downQueries]
      .reverse()
      .map((q) => `    await queryRunner.query(\`${esc(q.query)}\`);`)
      .join('\n');
    const cls = `${name}${ts}`;
    const file = join(__dirname, 'migrations', `${ts}-${name}.ts`);
    writeFileSync(
      file,
      `import { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${cls} implements MigrationInterface {\n  name = '${cls}';\n\n  public async up(queryRunner: QueryRunner): Promise<void> {\n${up}\n  }\n\n  public async down(queryRunner: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`,
    );
    console.log(`Wrote ${file}\nAdd ${cls} to migrations/index.ts.`);
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${scratch}`);
    await admin.end();
    await embedded?.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
