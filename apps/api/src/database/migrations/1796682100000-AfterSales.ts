import { MigrationInterface, QueryRunner } from 'typeorm';

/** After-sales (售后) requests with photos, each tied to its refund row, and the promises each cooperative chose. */
export class AfterSales1796682100000 implements MigrationInterface {
  name = 'AfterSales1796682100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "after_sales_requests" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "order_id" uuid NOT NULL, "cooperative_id" uuid NOT NULL, "buyer_id" uuid NOT NULL, "buyer_masked" character varying(40) NOT NULL, "refund_id" uuid NOT NULL, "kind" character varying(6) NOT NULL, "reason" character varying(20) NOT NULL, "text" character varying(500) NOT NULL DEFAULT '', "photos" jsonb NOT NULL DEFAULT '[]', "amount_fen" bigint NOT NULL, "covered_by" character varying(20), "return_accepted_at" TIMESTAMP WITH TIME ZONE, "return_carrier" character varying(30), "return_tracking" character varying(60), "return_shipped_at" TIMESTAMP WITH TIME ZONE, "return_note" character varying(300), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "after_sales_reason" CHECK ("reason" IN ('damaged','quality','not_as_described','missing','no_reason','late_shipping','other')), CONSTRAINT "after_sales_kind" CHECK ("kind" IN ('refund','return')), CONSTRAINT "PK_5509e47a1dd8aea506b259100a4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "after_sales_refund" ON "after_sales_requests"  ("refund_id") `);
    await queryRunner.query(
      `CREATE INDEX "after_sales_cooperative" ON "after_sales_requests"  ("cooperative_id", "created_at") `,
    );
    await queryRunner.query(`CREATE INDEX "after_sales_order" ON "after_sales_requests"  ("order_id") `);
    await queryRunner.query(
      `CREATE TABLE "cooperative_promises" ("cooperative_id" uuid NOT NULL, "seven_day_return" boolean NOT NULL DEFAULT false, "bad_fruit_cover" boolean NOT NULL DEFAULT false, "ship_within_48h" boolean NOT NULL DEFAULT false, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_by" uuid, CONSTRAINT "PK_1d92150d366e32521757df8bf04" PRIMARY KEY ("cooperative_id"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "cooperative_promises"`);
    await queryRunner.query(`DROP INDEX "public"."after_sales_order"`);
    await queryRunner.query(`DROP INDEX "public"."after_sales_cooperative"`);
    await queryRunner.query(`DROP INDEX "public"."after_sales_refund"`);
    await queryRunner.query(`DROP TABLE "after_sales_requests"`);
  }
}
