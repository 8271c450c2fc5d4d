import { MigrationInterface, QueryRunner } from 'typeorm';

/** 预售 (issue 17): pre-sales, the households' promises, and the buyers' pre-sale orders. */
export class Presale1796680000000 implements MigrationInterface {
  name = 'Presale1796680000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "presales" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "product_id" uuid NOT NULL, "cooperative_id" uuid NOT NULL, "deposit_fen" bigint NOT NULL, "balance_fen" bigint NOT NULL, "guaranteed_fen" bigint NOT NULL, "ship_from" date NOT NULL, "ship_to" date NOT NULL, "balance_days" integer NOT NULL, "cap" integer NOT NULL, "taken" integer NOT NULL DEFAULT 0, "status" character varying(10) NOT NULL DEFAULT 'open', "balance_due_at" TIMESTAMP WITH TIME ZONE, "harvested_at" TIMESTAMP WITH TIME ZONE, "cancelled_at" TIMESTAMP WITH TIME ZONE, "cancel_reason" character varying(200), "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "presales_window" CHECK ("ship_from" <= "ship_to"), CONSTRAINT "presales_taken" CHECK ("taken" >= 0 AND "taken" <= "cap"), CONSTRAINT "presales_amounts" CHECK ("deposit_fen" > 0 AND "balance_fen" >= 0 AND "guaranteed_fen" >= 0), CONSTRAINT "presales_status" CHECK ("status" IN ('open','harvested','cancelled')), CONSTRAINT "PK_presales" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "presales_cooperative" ON "presales" ("cooperative_id", "created_at") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "presales_one_live_per_product" ON "presales" ("product_id") WHERE "status" <> 'cancelled'`,
    );
    await queryRunner.query(
      `CREATE TABLE "presale_promises" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "presale_id" uuid NOT NULL, "household_id" uuid NOT NULL, "quantity" integer NOT NULL, CONSTRAINT "presale_promises_quantity" CHECK ("quantity" > 0), CONSTRAINT "PK_presale_promises" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "presale_promises_one_per_household" ON "presale_promises" ("presale_id", "household_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "presale_orders" ("order_id" uuid NOT NULL, "presale_id" uuid NOT NULL, "buyer_id" uuid NOT NULL, "quantity" integer NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'deposit_paid', "balance_order_id" uuid, "refund_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "presale_orders_quantity" CHECK ("quantity" > 0), CONSTRAINT "presale_orders_status" CHECK ("status" IN ('deposit_paid','balance_pending','balance_paid','refunding')), CONSTRAINT "PK_presale_orders" PRIMARY KEY ("order_id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "presale_orders_balance" ON "presale_orders" ("balance_order_id") WHERE "balance_order_id" IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "presale_orders_buyer" ON "presale_orders" ("buyer_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "presale_orders_presale" ON "presale_orders" ("presale_id", "status") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "presale_orders"`);
    await queryRunner.query(`DROP TABLE "presale_promises"`);
    await queryRunner.query(`DROP TABLE "presales"`);
  }
}
