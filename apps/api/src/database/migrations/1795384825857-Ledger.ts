import { MigrationInterface, QueryRunner } from 'typeorm';

export class Ledger1795384825857 implements MigrationInterface {
  name = 'Ledger1795384825857';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "findings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "cooperative_id" uuid NOT NULL, "auditor_id" uuid NOT NULL, "title" character varying(120) NOT NULL, "body" text NOT NULL, "subject" jsonb NOT NULL DEFAULT '{}', "status" character varying(10) NOT NULL DEFAULT 'open', "answer" text, "answered_by" uuid, "answered_at" TIMESTAMP WITH TIME ZONE, "closing_note" text, "closed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "findings_status" CHECK ("status" IN ('open','answered','closed')), CONSTRAINT "PK_ae9807d6293c23c13ff8804d09c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "findings_coop" ON "findings"  ("cooperative_id", "status") `);
    await queryRunner.query(
      `CREATE TABLE "ledger_transactions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "cooperative_id" uuid NOT NULL, "seq" integer NOT NULL, "idempotency_key" character varying(200) NOT NULL, "kind" character varying(12) NOT NULL, "occurred_at" character varying(30) NOT NULL, "reference" jsonb NOT NULL, "prev_hash" character(64) NOT NULL, "hash" character(64) NOT NULL, "order_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ledger_transactions_kind" CHECK ("kind" IN ('payment','settlement','refund','reversal','dividend','payout')), CONSTRAINT "PK_633d103c9e415d615aacf9b1929" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ledger_transactions_order" ON "ledger_transactions"  ("order_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ledger_transactions_key" ON "ledger_transactions"  ("idempotency_key") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ledger_transactions_chain" ON "ledger_transactions"  ("cooperative_id", "seq") `,
    );
    await queryRunner.query(
      `CREATE TABLE "ledger_postings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "transaction_id" uuid NOT NULL, "position" smallint NOT NULL, "account" character varying(160) NOT NULL, "amount" bigint NOT NULL, "currency" character varying(3) NOT NULL DEFAULT 'CNY', "household_id" uuid, CONSTRAINT "ledger_postings_nonzero" CHECK ("amount" <> 0), CONSTRAINT "PK_4cdc4ebcb3797412b9d9177df70" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ledger_postings_transaction" ON "ledger_postings"  ("transaction_id") `);
    await queryRunner.query(`CREATE INDEX "ledger_postings_household" ON "ledger_postings"  ("household_id") `);
    await queryRunner.query(`CREATE INDEX "ledger_postings_account" ON "ledger_postings"  ("account") `);
    await queryRunner.query(
      `CREATE TABLE "payout_batches" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "cooperative_id" uuid NOT NULL, "threshold_fen" bigint NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_aa57cb1e16d39cc0d41083145e4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "payout_batches_coop" ON "payout_batches"  ("cooperative_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "payouts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "batch_id" uuid NOT NULL, "cooperative_id" uuid NOT NULL, "household_id" uuid NOT NULL, "amount_fen" bigint NOT NULL, "status" character varying(10) NOT NULL DEFAULT 'planned', "channel" character varying(10), "reference" character varying(100), "paid_on" date, "recorded_by" uuid, "confirm_token_hash" character(64), "confirm_code_hash" character(64), "confirmed_at" TIMESTAMP WITH TIME ZONE, "ledger_transaction_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "payouts_amount" CHECK ("amount_fen" > 0), CONSTRAINT "payouts_channel" CHECK ("channel" IS NULL OR "channel" IN ('bank','mobile','cash')), CONSTRAINT "payouts_status" CHECK ("status" IN ('planned','paid','confirmed')), CONSTRAINT "PK_76855dc4f0a6c18c72eea302e87" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "payouts_confirm_token" ON "payouts"  ("confirm_token_hash") WHERE "confirm_token_hash" IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "payouts_batch" ON "payouts"  ("batch_id") `);
    await queryRunner.query(`CREATE INDEX "payouts_household" ON "payouts"  ("household_id") `);
    await queryRunner.query(
      `CREATE TABLE "settlement_runs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "cooperative_id" uuid NOT NULL, "status" character varying(8) NOT NULL DEFAULT 'queued', "total" integer NOT NULL DEFAULT '0', "done" integer NOT NULL DEFAULT '0', "error" character varying(500), "started_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "settlement_runs_status" CHECK ("status" IN ('queued','running','done','failed')), CONSTRAINT "PK_8f6ed8b9e1f399dd30ce2e39745" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "settlement_runs_coop" ON "settlement_runs"  ("cooperative_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "sharing_policies" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "cooperative_id" uuid NOT NULL, "version" integer NOT NULL, "platform_fee_bp" integer NOT NULL, "purchase_kind" character varying(10) NOT NULL, "purchase_bp" integer NOT NULL DEFAULT '0', "purchase_fen_per_unit" bigint NOT NULL DEFAULT '0', "dividend_bp" integer NOT NULL, "wages_bp" integer NOT NULL, "weight_registered" integer NOT NULL DEFAULT '100', "weight_monitored" integer NOT NULL DEFAULT '100', "weight_lifted" integer NOT NULL DEFAULT '100', "weight_none" integer NOT NULL DEFAULT '100', "effective_from" TIMESTAMP WITH TIME ZONE NOT NULL, "note" character varying(500) NOT NULL DEFAULT '', "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "sharing_policies_bp" CHECK ("platform_fee_bp" BETWEEN 0 AND 2000 AND "dividend_bp" BETWEEN 0 AND 10000 AND "wages_bp" BETWEEN 0 AND 10000 AND "purchase_bp" BETWEEN 0 AND 10000), CONSTRAINT "sharing_policies_purchase_kind" CHECK ("purchase_kind" IN ('percent','per_unit')), CONSTRAINT "PK_0cb7fe073bb53f998e74d651ccb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "sharing_policies_version" ON "sharing_policies"  ("cooperative_id", "version") `,
    );
    await queryRunner.query(`ALTER TABLE "orders" ADD "settled_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `ALTER TABLE "ledger_postings" ADD CONSTRAINT "FK_3df006c1be40e14e0b7777ab981" FOREIGN KEY ("transaction_id") REFERENCES "ledger_transactions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Append-only in the database itself: no UPDATE or DELETE on the ledger or on policy versions, whoever asks.
    await queryRunner.query(`CREATE FUNCTION xb_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['ledger_transactions', 'ledger_postings', 'sharing_policies']) {
      await queryRunner.query(
        `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION xb_refuse_change()`,
      );
      await queryRunner.query(
        `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION xb_refuse_change()`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['ledger_transactions', 'ledger_postings', 'sharing_policies']) {
      await queryRunner.query(`DROP TRIGGER IF EXISTS ${table}_append_only ON "${table}"`);
      await queryRunner.query(`DROP TRIGGER IF EXISTS ${table}_no_truncate ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION IF EXISTS xb_refuse_change()`);
    await queryRunner.query(`ALTER TABLE "ledger_postings" DROP CONSTRAINT "FK_3df006c1be40e14e0b7777ab981"`);
    await queryRunner.query(`ALTER TABLE "orders" DROP COLUMN "settled_at"`);
    await queryRunner.query(`DROP INDEX "public"."sharing_policies_version"`);
    await queryRunner.query(`DROP TABLE "sharing_policies"`);
    await queryRunner.query(`DROP INDEX "public"."settlement_runs_coop"`);
    await queryRunner.query(`DROP TABLE "settlement_runs"`);
    await queryRunner.query(`DROP INDEX "public"."payouts_household"`);
    await queryRunner.query(`DROP INDEX "public"."payouts_batch"`);
    await queryRunner.query(`DROP INDEX "public"."payouts_confirm_token"`);
    await queryRunner.query(`DROP TABLE "payouts"`);
    await queryRunner.query(`DROP INDEX "public"."payout_batches_coop"`);
    await queryRunner.query(`DROP TABLE "payout_batches"`);
    await queryRunner.query(`DROP INDEX "public"."ledger_postings_account"`);
    await queryRunner.query(`DROP INDEX "public"."ledger_postings_household"`);
    await queryRunner.query(`DROP INDEX "public"."ledger_postings_transaction"`);
    await queryRunner.query(`DROP TABLE "ledger_postings"`);
    await queryRunner.query(`DROP INDEX "public"."ledger_transactions_chain"`);
    await queryRunner.query(`DROP INDEX "public"."ledger_transactions_key"`);
    await queryRunner.query(`DROP INDEX "public"."ledger_transactions_order"`);
    await queryRunner.query(`DROP TABLE "ledger_transactions"`);
    await queryRunner.query(`DROP INDEX "public"."findings_coop"`);
    await queryRunner.query(`DROP TABLE "findings"`);
  }
}
