import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payout confirmation through channels the cooperative does not control (issue 15): the registry keeps the
 * household's phone (encrypted), an SMS outbox, how each payout is to be / was confirmed, and auditors' call-back
 * samples (回访抽查).
 */
export class PayoutConfirmation1796654290890 implements MigrationInterface {
  name = 'PayoutConfirmation1796654290890';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "sms_outbox" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "key" character varying(100) NOT NULL, "to_masked" character varying(20) NOT NULL, "payload" text, "status" character varying(10) NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "last_error" character varying(300), "provider" character varying(10), "message_id" character varying(100), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "sms_outbox_status" CHECK ("status" IN ('pending','sent','failed')), CONSTRAINT "PK_8b64347e4647de6ac287b2ed834" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "sms_outbox_key" ON "sms_outbox"  ("key") `);
    await queryRunner.query(
      `CREATE INDEX "sms_outbox_pending" ON "sms_outbox"  ("created_at") WHERE "status" = 'pending'`,
    );
    await queryRunner.query(
      `CREATE TABLE "payout_callback_samples" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "cooperative_id" uuid NOT NULL, "auditor_id" uuid NOT NULL, "requested_size" integer NOT NULL, "population" integer NOT NULL, "drawn_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "payout_callback_samples_size" CHECK ("requested_size" > 0), CONSTRAINT "PK_64b7db3120ae69a67bf6f0e93b6" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "payout_callback_samples_coop" ON "payout_callback_samples"  ("cooperative_id", "drawn_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "payout_callback_checks" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "sample_id" uuid NOT NULL, "cooperative_id" uuid NOT NULL, "payout_id" uuid NOT NULL, "position" integer NOT NULL, "outcome" character varying(12) NOT NULL DEFAULT 'pending', "via" character varying(10), "note" character varying(2000) NOT NULL DEFAULT '', "checked_by" uuid, "checked_at" TIMESTAMP WITH TIME ZONE, "finding_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "payout_callback_checks_once" UNIQUE ("sample_id", "payout_id"), CONSTRAINT "payout_callback_checks_via" CHECK ("via" IS NULL OR "via" IN ('phone','visit')), CONSTRAINT "payout_callback_checks_outcome" CHECK ("outcome" IN ('pending','confirmed','disputed','unreachable')), CONSTRAINT "PK_e6ce615df4fe11c0efefe562b66" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "payout_callback_checks_payout" ON "payout_callback_checks"  ("payout_id") `);
    await queryRunner.query(`ALTER TABLE "households" ADD "phone_encrypted" text`);
    await queryRunner.query(`ALTER TABLE "households" ADD "phone_masked" character varying(20)`);
    await queryRunner.query(`ALTER TABLE "payouts" ADD "confirm_route" character varying(10)`);
    await queryRunner.query(`ALTER TABLE "payouts" ADD "sms_to_masked" character varying(20)`);
    await queryRunner.query(`ALTER TABLE "payouts" ADD "confirm_method" character varying(10)`);
    await queryRunner.query(`ALTER TABLE "payouts" ADD "attested_by" uuid`);
    await queryRunner.query(`ALTER TABLE "payouts" ADD "attest_note" character varying(500)`);
    await queryRunner.query(
      `ALTER TABLE "payouts" ADD CONSTRAINT "payouts_confirm_method" CHECK ("confirm_method" IS NULL OR "confirm_method" IN ('sms','attested','legacy'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "payouts" ADD CONSTRAINT "payouts_confirm_route" CHECK ("confirm_route" IS NULL OR "confirm_route" IN ('sms','attest'))`,
    );
    // Payouts confirmed before this migration went through the old link (whose code the cooperative was shown).
    await queryRunner.query(`UPDATE "payouts" SET "confirm_method" = 'legacy' WHERE "status" = 'confirmed'`);
    // Paid, unconfirmed payouts: their link and code were answered to the cooperative, so they no longer confirm
    // anything; an assigned auditor attests them instead.
    await queryRunner.query(
      `UPDATE "payouts" SET "confirm_route" = 'attest', "confirm_token_hash" = NULL, "confirm_code_hash" = NULL WHERE "status" = 'paid'`,
    );
  }

  /** Down keeps the invalidated links invalid (their secrets are gone). */
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "payouts" DROP CONSTRAINT "payouts_confirm_route"`);
    await queryRunner.query(`ALTER TABLE "payouts" DROP CONSTRAINT "payouts_confirm_method"`);
    await queryRunner.query(`ALTER TABLE "payouts" DROP COLUMN "attest_note"`);
    await queryRunner.query(`ALTER TABLE "payouts" DROP COLUMN "attested_by"`);
    await queryRunner.query(`ALTER TABLE "payouts" DROP COLUMN "confirm_method"`);
    await queryRunner.query(`ALTER TABLE "payouts" DROP COLUMN "sms_to_masked"`);
    await queryRunner.query(`ALTER TABLE "payouts" DROP COLUMN "confirm_route"`);
    await queryRunner.query(`ALTER TABLE "households" DROP COLUMN "phone_masked"`);
    await queryRunner.query(`ALTER TABLE "households" DROP COLUMN "phone_encrypted"`);
    await queryRunner.query(`DROP INDEX "public"."payout_callback_checks_payout"`);
    await queryRunner.query(`DROP TABLE "payout_callback_checks"`);
    await queryRunner.query(`DROP INDEX "public"."payout_callback_samples_coop"`);
    await queryRunner.query(`DROP TABLE "payout_callback_samples"`);
    await queryRunner.query(`DROP INDEX "public"."sms_outbox_pending"`);
    await queryRunner.query(`DROP INDEX "public"."sms_outbox_key"`);
    await queryRunner.query(`DROP TABLE "sms_outbox"`);
  }
}
