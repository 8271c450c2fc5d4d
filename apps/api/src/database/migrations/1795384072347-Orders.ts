import { MigrationInterface, QueryRunner } from 'typeorm';

export class Orders1795384072347 implements MigrationInterface {
  name = 'Orders1795384072347';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "addresses" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "recipient" character varying(40) NOT NULL, "mobile" character varying(11) NOT NULL, "province" character varying(20) NOT NULL, "city" character varying(30) NOT NULL, "district" character varying(30) NOT NULL, "detail" character varying(200) NOT NULL, "is_default" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_745d8f43d3af10ab8247465e450" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "addresses_user" ON "addresses"  ("user_id") `);
    await queryRunner.query(
      `CREATE TABLE "cart_items" ("user_id" uuid NOT NULL, "product_id" uuid NOT NULL, "quantity" integer NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "cart_items_quantity" CHECK ("quantity" > 0 AND "quantity" <= 999), CONSTRAINT "PK_b2c6ebe6bd6f9a4e6bbd8ab082e" PRIMARY KEY ("user_id", "product_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "order_lines" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "order_id" uuid NOT NULL, "product_id" uuid NOT NULL, "product_name" character varying(80) NOT NULL, "unit" character varying(10) NOT NULL, "unit_price_fen" bigint NOT NULL, "quantity" integer NOT NULL, "line_total_fen" bigint NOT NULL, "deal_id" uuid, CONSTRAINT "order_lines_total" CHECK ("line_total_fen" = "unit_price_fen" * "quantity"), CONSTRAINT "order_lines_quantity" CHECK ("quantity" > 0), CONSTRAINT "PK_627dcd7f1d707de4df241b2da6b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "order_lines_order" ON "order_lines"  ("order_id") `);
    await queryRunner.query(`CREATE INDEX "order_lines_product" ON "order_lines"  ("product_id") `);
    await queryRunner.query(
      `CREATE TABLE "payments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "buyer_id" uuid NOT NULL, "provider" character varying(10) NOT NULL, "provider_ref" character varying(100), "client_secret" character varying(200), "status" character varying(10) NOT NULL DEFAULT 'pending', "amount_fen" bigint NOT NULL, "currency" character varying(3) NOT NULL DEFAULT 'CNY', "fee_fen" bigint, "charge_ref" character varying(100), "refunded_fen" bigint NOT NULL DEFAULT '0', "failure_message" character varying(300), "dispute_ref" character varying(100), "succeeded_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "payments_provider" CHECK ("provider" IN ('stripe','demo')), CONSTRAINT "payments_status" CHECK ("status" IN ('pending','succeeded','failed','canceled')), CONSTRAINT "PK_197ab7af18c93fbb0c9b28b4a59" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "payments_buyer" ON "payments"  ("buyer_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "payments_provider_ref" ON "payments"  ("provider_ref") WHERE "provider_ref" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "orders" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "number" character varying(20) NOT NULL, "buyer_id" uuid NOT NULL, "cooperative_id" uuid NOT NULL, "payment_id" uuid NOT NULL, "status" character varying(20) NOT NULL DEFAULT 'pending_payment', "subtotal_fen" bigint NOT NULL, "shipping_fen" bigint NOT NULL DEFAULT '0', "total_fen" bigint NOT NULL, "refunded_fen" bigint NOT NULL DEFAULT '0', "currency" character varying(3) NOT NULL DEFAULT 'CNY', "address" jsonb NOT NULL, "buyer_province" character varying(20) NOT NULL, "carrier" character varying(40), "tracking_number" character varying(60), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "paid_at" TIMESTAMP WITH TIME ZONE, "shipped_at" TIMESTAMP WITH TIME ZONE, "delivered_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, "cancelled_at" TIMESTAMP WITH TIME ZONE, "show_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "orders_amounts" CHECK ("total_fen" >= 0 AND "refunded_fen" >= 0 AND "refunded_fen" <= "total_fen"), CONSTRAINT "orders_status" CHECK ("status" IN ('pending_payment','paid','shipped','delivered','completed','cancelled','refunded')), CONSTRAINT "PK_710e2d4957aa5878dfe94e4ac2f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "orders_number" ON "orders"  ("number") `);
    await queryRunner.query(`CREATE INDEX "orders_cooperative_status" ON "orders"  ("cooperative_id", "status") `);
    await queryRunner.query(`CREATE INDEX "orders_buyer" ON "orders"  ("buyer_id", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "order_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "order_id" uuid NOT NULL, "from_status" character varying(20), "to_status" character varying(20) NOT NULL, "actor_kind" character varying(12) NOT NULL, "actor_id" uuid, "note" character varying(300) NOT NULL DEFAULT '', "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_cc1b82b0fcf1be577d9d7ecbf8b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "order_events_order" ON "order_events"  ("order_id", "at") `);
    await queryRunner.query(
      `CREATE TABLE "refunds" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "order_id" uuid NOT NULL, "payment_id" uuid NOT NULL, "amount_fen" bigint NOT NULL, "reason" character varying(300) NOT NULL, "status" character varying(10) NOT NULL, "provider_ref" character varying(100), "requested_by" uuid NOT NULL, "decided_by" uuid, "decision_note" character varying(300), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "completed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "refunds_amount" CHECK ("amount_fen" > 0), CONSTRAINT "refunds_status" CHECK ("status" IN ('requested','declined','pending','succeeded','failed')), CONSTRAINT "PK_5106efb01eeda7e49a78b869738" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "refunds_order" ON "refunds"  ("order_id") `);
    await queryRunner.query(
      `CREATE TABLE "reservations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "order_id" uuid NOT NULL, "product_id" uuid NOT NULL, "deal_id" uuid, "quantity" integer NOT NULL, "status" character varying(10) NOT NULL DEFAULT 'held', "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "released_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "reservations_quantity" CHECK ("quantity" > 0), CONSTRAINT "reservations_status" CHECK ("status" IN ('held','converted','released')), CONSTRAINT "PK_da95cef71b617ac35dc5bcda243" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "reservations_order" ON "reservations"  ("order_id") `);
    await queryRunner.query(
      `CREATE INDEX "reservations_expiry" ON "reservations"  ("expires_at") WHERE "status" = 'held'`,
    );
    await queryRunner.query(`ALTER TABLE "products" ADD "per_buyer_limit" integer`);
    await queryRunner.query(
      `ALTER TABLE "order_lines" ADD CONSTRAINT "FK_6a619803439ea92778cafc8fb54" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "order_lines" ADD CONSTRAINT "FK_c33a737fbeb5050911ca729aaed" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "orders" ADD CONSTRAINT "FK_2e3ff144df632515d999f56827a" FOREIGN KEY ("cooperative_id") REFERENCES "cooperatives"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "orders" ADD CONSTRAINT "FK_5b3e94bd2aedc184f9ad8c10439" FOREIGN KEY ("payment_id") REFERENCES "payments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "orders" DROP CONSTRAINT "FK_5b3e94bd2aedc184f9ad8c10439"`);
    await queryRunner.query(`ALTER TABLE "orders" DROP CONSTRAINT "FK_2e3ff144df632515d999f56827a"`);
    await queryRunner.query(`ALTER TABLE "order_lines" DROP CONSTRAINT "FK_c33a737fbeb5050911ca729aaed"`);
    await queryRunner.query(`ALTER TABLE "order_lines" DROP CONSTRAINT "FK_6a619803439ea92778cafc8fb54"`);
    await queryRunner.query(`ALTER TABLE "products" DROP COLUMN "per_buyer_limit"`);
    await queryRunner.query(`DROP INDEX "public"."reservations_expiry"`);
    await queryRunner.query(`DROP INDEX "public"."reservations_order"`);
    await queryRunner.query(`DROP TABLE "reservations"`);
    await queryRunner.query(`DROP INDEX "public"."refunds_order"`);
    await queryRunner.query(`DROP TABLE "refunds"`);
    await queryRunner.query(`DROP INDEX "public"."order_events_order"`);
    await queryRunner.query(`DROP TABLE "order_events"`);
    await queryRunner.query(`DROP INDEX "public"."orders_buyer"`);
    await queryRunner.query(`DROP INDEX "public"."orders_cooperative_status"`);
    await queryRunner.query(`DROP INDEX "public"."orders_number"`);
    await queryRunner.query(`DROP TABLE "orders"`);
    await queryRunner.query(`DROP INDEX "public"."payments_provider_ref"`);
    await queryRunner.query(`DROP INDEX "public"."payments_buyer"`);
    await queryRunner.query(`DROP TABLE "payments"`);
    await queryRunner.query(`DROP INDEX "public"."order_lines_product"`);
    await queryRunner.query(`DROP INDEX "public"."order_lines_order"`);
    await queryRunner.query(`DROP TABLE "order_lines"`);
    await queryRunner.query(`DROP TABLE "cart_items"`);
    await queryRunner.query(`DROP INDEX "public"."addresses_user"`);
    await queryRunner.query(`DROP TABLE "addresses"`);
  }
}
