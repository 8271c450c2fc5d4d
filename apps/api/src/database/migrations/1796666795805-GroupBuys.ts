import { MigrationInterface, QueryRunner } from 'typeorm';

export class GroupBuys1796666795805 implements MigrationInterface {
  name = 'GroupBuys1796666795805';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "group_buys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "product_id" uuid NOT NULL, "cooperative_id" uuid NOT NULL, "leader_id" uuid NOT NULL, "size" integer NOT NULL, "group_price_fen" bigint NOT NULL, "status" character varying(10) NOT NULL DEFAULT 'open', "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "formed_at" TIMESTAMP WITH TIME ZONE, "failed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "group_buys_price" CHECK ("group_price_fen" > 0), CONSTRAINT "group_buys_size" CHECK ("size" BETWEEN 2 AND 50), CONSTRAINT "group_buys_status" CHECK ("status" IN ('open','formed','failed')), CONSTRAINT "PK_a472ccdc1df63a4f90f68acd287" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "group_buys_failed" ON "group_buys"  ("failed_at") WHERE "status" = 'failed'`,
    );
    await queryRunner.query(
      `CREATE INDEX "group_buys_open_expiry" ON "group_buys"  ("expires_at") WHERE "status" = 'open'`,
    );
    await queryRunner.query(
      `CREATE INDEX "group_buys_product_open" ON "group_buys"  ("product_id", "expires_at") WHERE "status" = 'open'`,
    );
    await queryRunner.query(
      `CREATE TABLE "group_buy_members" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "group_id" uuid NOT NULL, "buyer_id" uuid NOT NULL, "leader" boolean NOT NULL DEFAULT false, "quantity" integer NOT NULL, "status" character varying(10) NOT NULL DEFAULT 'holding', "order_id" uuid, "payment_id" uuid, "refund_id" uuid, "paid_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "group_buy_members_quantity" CHECK ("quantity" > 0), CONSTRAINT "group_buy_members_status" CHECK ("status" IN ('holding','pending','paid','left','refunding')), CONSTRAINT "PK_87b0e0006ec71fc737afe83d230" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "group_buy_members_order" ON "group_buy_members"  ("order_id") `);
    await queryRunner.query(
      `CREATE INDEX "group_buy_members_buyer" ON "group_buy_members"  ("buyer_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "group_buy_members_group" ON "group_buy_members"  ("group_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "group_buy_members_one_seat" ON "group_buy_members"  ("group_id", "buyer_id") WHERE "status" <> 'left'`,
    );
    await queryRunner.query(
      `CREATE TABLE "group_buy_offers" ("product_id" uuid NOT NULL, "cooperative_id" uuid NOT NULL, "size" integer NOT NULL, "group_price_fen" bigint NOT NULL, "window_hours" integer NOT NULL, "active" boolean NOT NULL DEFAULT true, "updated_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "group_buy_offers_price" CHECK ("group_price_fen" > 0), CONSTRAINT "group_buy_offers_window" CHECK ("window_hours" BETWEEN 1 AND 168), CONSTRAINT "group_buy_offers_size" CHECK ("size" BETWEEN 2 AND 50), CONSTRAINT "PK_1255bc48c4db425b2e9defd2a8b" PRIMARY KEY ("product_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "group_buys" ADD CONSTRAINT "FK_14e7808e6be7774d07721ce8210" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "group_buy_members" ADD CONSTRAINT "FK_17b4d8416dac46ab84b7d0b6523" FOREIGN KEY ("group_id") REFERENCES "group_buys"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "group_buy_offers" ADD CONSTRAINT "FK_1255bc48c4db425b2e9defd2a8b" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "group_buy_offers" DROP CONSTRAINT "FK_1255bc48c4db425b2e9defd2a8b"`);
    await queryRunner.query(`ALTER TABLE "group_buy_members" DROP CONSTRAINT "FK_17b4d8416dac46ab84b7d0b6523"`);
    await queryRunner.query(`ALTER TABLE "group_buys" DROP CONSTRAINT "FK_14e7808e6be7774d07721ce8210"`);
    await queryRunner.query(`DROP TABLE "group_buy_offers"`);
    await queryRunner.query(`DROP INDEX "public"."group_buy_members_one_seat"`);
    await queryRunner.query(`DROP INDEX "public"."group_buy_members_group"`);
    await queryRunner.query(`DROP INDEX "public"."group_buy_members_buyer"`);
    await queryRunner.query(`DROP INDEX "public"."group_buy_members_order"`);
    await queryRunner.query(`DROP TABLE "group_buy_members"`);
    await queryRunner.query(`DROP INDEX "public"."group_buys_product_open"`);
    await queryRunner.query(`DROP INDEX "public"."group_buys_open_expiry"`);
    await queryRunner.query(`DROP INDEX "public"."group_buys_failed"`);
    await queryRunner.query(`DROP TABLE "group_buys"`);
  }
}
