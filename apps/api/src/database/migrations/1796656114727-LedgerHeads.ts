import { MigrationInterface, QueryRunner } from 'typeorm';

export class LedgerHeads1796656114727 implements MigrationInterface {
  name = 'LedgerHeads1796656114727';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "ledger_heads" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "cooperative_id" uuid NOT NULL, "seq" integer NOT NULL, "hash" character(64) NOT NULL, "at" character varying(30) NOT NULL, "day" date NOT NULL, "reason" character varying(12) NOT NULL, "key_id" character varying(16) NOT NULL, "signature" character varying(100) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c7be7622a6f7cdbdd8d47210cbb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ledger_heads_daily" ON "ledger_heads"  ("cooperative_id", "day") WHERE "reason" = 'daily'`,
    );
    await queryRunner.query(`CREATE INDEX "ledger_heads_coop_at" ON "ledger_heads"  ("cooperative_id", "at") `);
    // published heads are kept as published: append-only, like the ledger itself
    await queryRunner.query(
      `CREATE TRIGGER ledger_heads_append_only BEFORE UPDATE OR DELETE ON "ledger_heads" FOR EACH ROW EXECUTE FUNCTION xb_refuse_change()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER ledger_heads_no_truncate BEFORE TRUNCATE ON "ledger_heads" FOR EACH STATEMENT EXECUTE FUNCTION xb_refuse_change()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER ledger_heads_no_truncate ON "ledger_heads"`);
    await queryRunner.query(`DROP TRIGGER ledger_heads_append_only ON "ledger_heads"`);
    await queryRunner.query(`DROP INDEX "public"."ledger_heads_coop_at"`);
    await queryRunner.query(`DROP INDEX "public"."ledger_heads_daily"`);
    await queryRunner.query(`DROP TABLE "ledger_heads"`);
  }
}
