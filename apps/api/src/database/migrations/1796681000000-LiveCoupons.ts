import { MigrationInterface, QueryRunner } from 'typeorm';

export class LiveCoupons1796681000000 implements MigrationInterface {
  name = 'LiveCoupons1796681000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "coupons" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "show_id" uuid NOT NULL, "cooperative_id" uuid NOT NULL, "amount_off_fen" bigint NOT NULL, "min_spend_fen" bigint NOT NULL DEFAULT '0', "quantity" integer NOT NULL, "claimed" integer NOT NULL DEFAULT '0', "per_viewer_limit" integer NOT NULL, "validity" character varying(4) NOT NULL, "status" character varying(10) NOT NULL DEFAULT 'live', "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "coupons_status" CHECK ("status" IN ('live','stopped')), CONSTRAINT "coupons_validity" CHECK ("validity" IN ('show','24h')), CONSTRAINT "coupons_limits" CHECK ("quantity" > 0 AND "per_viewer_limit" > 0), CONSTRAINT "coupons_amounts" CHECK ("amount_off_fen" > 0 AND "min_spend_fen" >= 0), CONSTRAINT "coupons_claimed" CHECK ("claimed" >= 0 AND "claimed" <= "quantity"), CONSTRAINT "PK_d7ea8864a0150183770f3e9a8cb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "coupons_show" ON "coupons"  ("show_id", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "coupon_claims" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "coupon_id" uuid NOT NULL, "user_id" uuid NOT NULL, "n" integer NOT NULL, "status" character varying(10) NOT NULL DEFAULT 'claimed', "valid_until" TIMESTAMP WITH TIME ZONE, "order_id" uuid, "discount_fen" bigint, "claimed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "coupon_claims_use" CHECK (("status" = 'used') = ("order_id" IS NOT NULL)), CONSTRAINT "coupon_claims_n" CHECK ("n" >= 1), CONSTRAINT "coupon_claims_status" CHECK ("status" IN ('claimed','used')), CONSTRAINT "PK_1a171333580e93ddd42c352e23c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "coupon_claims_order" ON "coupon_claims"  ("order_id") WHERE "order_id" IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "coupon_claims_user" ON "coupon_claims"  ("user_id", "claimed_at") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "coupon_claims_nth" ON "coupon_claims"  ("coupon_id", "user_id", "n") `,
    );
    await queryRunner.query(
      `ALTER TABLE "coupons" ADD CONSTRAINT "FK_19e2bab5f4feefd987a34e789ad" FOREIGN KEY ("show_id") REFERENCES "shows"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "coupon_claims" ADD CONSTRAINT "FK_6e8ff768578c499e1c38ebed52e" FOREIGN KEY ("coupon_id") REFERENCES "coupons"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "coupon_claims" DROP CONSTRAINT "FK_6e8ff768578c499e1c38ebed52e"`);
    await queryRunner.query(`ALTER TABLE "coupons" DROP CONSTRAINT "FK_19e2bab5f4feefd987a34e789ad"`);
    await queryRunner.query(`DROP INDEX "public"."coupon_claims_nth"`);
    await queryRunner.query(`DROP INDEX "public"."coupon_claims_user"`);
    await queryRunner.query(`DROP INDEX "public"."coupon_claims_order"`);
    await queryRunner.query(`DROP TABLE "coupon_claims"`);
    await queryRunner.query(`DROP INDEX "public"."coupons_show"`);
    await queryRunner.query(`DROP TABLE "coupons"`);
  }
}
