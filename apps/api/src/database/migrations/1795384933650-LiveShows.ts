import { MigrationInterface, QueryRunner } from 'typeorm';

export class LiveShows1795384933650 implements MigrationInterface {
  name = 'LiveShows1795384933650';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "shows" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "cooperative_id" uuid NOT NULL, "host_id" uuid NOT NULL, "title" character varying(60) NOT NULL, "description" text NOT NULL DEFAULT '', "cover_key" character varying(200), "scheduled_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" character varying(10) NOT NULL DEFAULT 'scheduled', "started_at" TIMESTAMP WITH TIME ZONE, "ended_at" TIMESTAMP WITH TIME ZONE, "slow_mode_seconds" integer NOT NULL DEFAULT '0', "likes" integer NOT NULL DEFAULT '0', "peak_viewers" integer NOT NULL DEFAULT '0', "summary" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "shows_counters" CHECK ("likes" >= 0 AND "peak_viewers" >= 0 AND "slow_mode_seconds" >= 0), CONSTRAINT "shows_status" CHECK ("status" IN ('scheduled','live','ended','cancelled')), CONSTRAINT "PK_db2b12161dbc5081c4f50025669" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "shows_cooperative_time" ON "shows"  ("cooperative_id", "scheduled_at") `);
    await queryRunner.query(`CREATE INDEX "shows_status_time" ON "shows"  ("status", "scheduled_at") `);
    await queryRunner.query(
      `CREATE TABLE "chat_messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "show_id" uuid NOT NULL, "user_id" uuid NOT NULL, "display_name" character varying(40) NOT NULL, "text" character varying(200) NOT NULL, "from_host" boolean NOT NULL DEFAULT false, "deleted" boolean NOT NULL DEFAULT false, "deleted_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_40c55ee0e571e268b0d3cd37d10" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "chat_messages_user_time" ON "chat_messages"  ("show_id", "user_id", "created_at") `,
    );
    await queryRunner.query(`CREATE INDEX "chat_messages_show_time" ON "chat_messages"  ("show_id", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "flash_deals" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "show_id" uuid NOT NULL, "product_id" uuid NOT NULL, "price_fen" bigint NOT NULL, "list_price_fen" bigint NOT NULL, "quantity" integer NOT NULL, "remaining" integer NOT NULL, "per_buyer_cap" integer NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" character varying(10) NOT NULL DEFAULT 'open', "closed_at" TIMESTAMP WITH TIME ZONE, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "flash_deals_amounts" CHECK ("price_fen" > 0 AND "quantity" > 0 AND "per_buyer_cap" > 0), CONSTRAINT "flash_deals_remaining" CHECK ("remaining" >= 0 AND "remaining" <= "quantity"), CONSTRAINT "flash_deals_status" CHECK ("status" IN ('open','closed')), CONSTRAINT "PK_8f1c0e8afeb64c6390ab6c119a7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "flash_deals_open_end" ON "flash_deals"  ("ends_at") WHERE "status" = 'open'`,
    );
    await queryRunner.query(`CREATE INDEX "flash_deals_show" ON "flash_deals"  ("show_id", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "follows" ("user_id" uuid NOT NULL, "cooperative_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_533286839ac9f46fcaecb25a6c1" PRIMARY KEY ("user_id", "cooperative_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "follows_cooperative" ON "follows"  ("cooperative_id") `);
    await queryRunner.query(
      `CREATE TABLE "notifications" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "kind" character varying(20) NOT NULL, "title" character varying(100) NOT NULL, "body" character varying(300) NOT NULL DEFAULT '', "link" character varying(200) NOT NULL, "dedupe_key" character varying(100) NOT NULL, "read_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "notifications_dedupe" ON "notifications"  ("user_id", "dedupe_key") `,
    );
    await queryRunner.query(`CREATE INDEX "notifications_user_time" ON "notifications"  ("user_id", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "pins" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "show_id" uuid NOT NULL, "product_id" uuid NOT NULL, "pinned_by" uuid NOT NULL, "pinned_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "unpinned_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_a3e589ffd3c8c46861d011aede4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "pins_one_open" ON "pins"  ("show_id") WHERE "unpinned_at" IS NULL`);
    await queryRunner.query(`CREATE INDEX "pins_show_time" ON "pins"  ("show_id", "pinned_at") `);
    await queryRunner.query(
      `CREATE TABLE "show_moderation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "show_id" uuid NOT NULL, "user_id" uuid NOT NULL, "kind" character varying(4) NOT NULL, "until" TIMESTAMP WITH TIME ZONE, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "show_moderation_kind" CHECK ("kind" IN ('mute','ban')), CONSTRAINT "PK_bfbb7afc40f61819b7a17942c33" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "show_moderation_one" ON "show_moderation"  ("show_id", "user_id", "kind") `,
    );
    await queryRunner.query(
      `CREATE TABLE "show_products" ("show_id" uuid NOT NULL, "product_id" uuid NOT NULL, "position" smallint NOT NULL DEFAULT '0', CONSTRAINT "PK_afba0adca21ff2eb534f6ba30cc" PRIMARY KEY ("show_id", "product_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "show_products_product" ON "show_products"  ("product_id") `);
    await queryRunner.query(
      `CREATE TABLE "show_subscriptions" ("show_id" uuid NOT NULL, "user_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8c62bc29d3ef3deb7fc358348f3" PRIMARY KEY ("show_id", "user_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "show_subscriptions_user" ON "show_subscriptions"  ("user_id") `);
    await queryRunner.query(
      `CREATE TABLE "show_viewers" ("show_id" uuid NOT NULL, "viewer_key" character varying(64) NOT NULL, "first_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6e713e8c78a96afaf8434d16903" PRIMARY KEY ("show_id", "viewer_key"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "shows" ADD CONSTRAINT "FK_e78c6bb66af0fcd4af1dcca7411" FOREIGN KEY ("cooperative_id") REFERENCES "cooperatives"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "shows" ADD CONSTRAINT "FK_d47e89813e510172573161189db" FOREIGN KEY ("host_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "chat_messages" ADD CONSTRAINT "FK_ecbf9caff3f0e7c35e516379520" FOREIGN KEY ("show_id") REFERENCES "shows"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "flash_deals" ADD CONSTRAINT "FK_7aef4b455f6965c7c1b490084fa" FOREIGN KEY ("show_id") REFERENCES "shows"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "flash_deals" ADD CONSTRAINT "FK_dbaa9d52c9d8bd4fa18a44b6c09" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "follows" ADD CONSTRAINT "FK_941d172275662c2b9d8b9f4270c" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "follows" ADD CONSTRAINT "FK_bc7cf5f0a7ec6ffed41fff82e15" FOREIGN KEY ("cooperative_id") REFERENCES "cooperatives"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "notifications" ADD CONSTRAINT "FK_9a8a82462cab47c73d25f49261f" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "pins" ADD CONSTRAINT "FK_9483a7779d04426f4a5abfcde9f" FOREIGN KEY ("show_id") REFERENCES "shows"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "pins" ADD CONSTRAINT "FK_ed3861cb2f421a099216a3c57f5" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "show_moderation" ADD CONSTRAINT "FK_4cdcce8d07dfebce2ae5db6917f" FOREIGN KEY ("show_id") REFERENCES "shows"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "show_products" ADD CONSTRAINT "FK_b5e3c8c8ca4ee15bff212dbf2fc" FOREIGN KEY ("show_id") REFERENCES "shows"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "show_products" ADD CONSTRAINT "FK_ec1374277d393614bc04a0d77dc" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "show_subscriptions" ADD CONSTRAINT "FK_dd368a0b58dfb2f8d0da3c333f3" FOREIGN KEY ("show_id") REFERENCES "shows"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "show_subscriptions" ADD CONSTRAINT "FK_5cf49926996b9762467974b004e" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "show_viewers" ADD CONSTRAINT "FK_4aa99c9bc4cf3afb74d04ccf152" FOREIGN KEY ("show_id") REFERENCES "shows"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "show_viewers" DROP CONSTRAINT "FK_4aa99c9bc4cf3afb74d04ccf152"`);
    await queryRunner.query(`ALTER TABLE "show_subscriptions" DROP CONSTRAINT "FK_5cf49926996b9762467974b004e"`);
    await queryRunner.query(`ALTER TABLE "show_subscriptions" DROP CONSTRAINT "FK_dd368a0b58dfb2f8d0da3c333f3"`);
    await queryRunner.query(`ALTER TABLE "show_products" DROP CONSTRAINT "FK_ec1374277d393614bc04a0d77dc"`);
    await queryRunner.query(`ALTER TABLE "show_products" DROP CONSTRAINT "FK_b5e3c8c8ca4ee15bff212dbf2fc"`);
    await queryRunner.query(`ALTER TABLE "show_moderation" DROP CONSTRAINT "FK_4cdcce8d07dfebce2ae5db6917f"`);
    await queryRunner.query(`ALTER TABLE "pins" DROP CONSTRAINT "FK_ed3861cb2f421a099216a3c57f5"`);
    await queryRunner.query(`ALTER TABLE "pins" DROP CONSTRAINT "FK_9483a7779d04426f4a5abfcde9f"`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "FK_9a8a82462cab47c73d25f49261f"`);
    await queryRunner.query(`ALTER TABLE "follows" DROP CONSTRAINT "FK_bc7cf5f0a7ec6ffed41fff82e15"`);
    await queryRunner.query(`ALTER TABLE "follows" DROP CONSTRAINT "FK_941d172275662c2b9d8b9f4270c"`);
    await queryRunner.query(`ALTER TABLE "flash_deals" DROP CONSTRAINT "FK_dbaa9d52c9d8bd4fa18a44b6c09"`);
    await queryRunner.query(`ALTER TABLE "flash_deals" DROP CONSTRAINT "FK_7aef4b455f6965c7c1b490084fa"`);
    await queryRunner.query(`ALTER TABLE "chat_messages" DROP CONSTRAINT "FK_ecbf9caff3f0e7c35e516379520"`);
    await queryRunner.query(`ALTER TABLE "shows" DROP CONSTRAINT "FK_d47e89813e510172573161189db"`);
    await queryRunner.query(`ALTER TABLE "shows" DROP CONSTRAINT "FK_e78c6bb66af0fcd4af1dcca7411"`);
    await queryRunner.query(`DROP TABLE "show_viewers"`);
    await queryRunner.query(`DROP INDEX "public"."show_subscriptions_user"`);
    await queryRunner.query(`DROP TABLE "show_subscriptions"`);
    await queryRunner.query(`DROP INDEX "public"."show_products_product"`);
    await queryRunner.query(`DROP TABLE "show_products"`);
    await queryRunner.query(`DROP INDEX "public"."show_moderation_one"`);
    await queryRunner.query(`DROP TABLE "show_moderation"`);
    await queryRunner.query(`DROP INDEX "public"."pins_show_time"`);
    await queryRunner.query(`DROP INDEX "public"."pins_one_open"`);
    await queryRunner.query(`DROP TABLE "pins"`);
    await queryRunner.query(`DROP INDEX "public"."notifications_user_time"`);
    await queryRunner.query(`DROP INDEX "public"."notifications_dedupe"`);
    await queryRunner.query(`DROP TABLE "notifications"`);
    await queryRunner.query(`DROP INDEX "public"."follows_cooperative"`);
    await queryRunner.query(`DROP TABLE "follows"`);
    await queryRunner.query(`DROP INDEX "public"."flash_deals_show"`);
    await queryRunner.query(`DROP INDEX "public"."flash_deals_open_end"`);
    await queryRunner.query(`DROP TABLE "flash_deals"`);
    await queryRunner.query(`DROP INDEX "public"."chat_messages_show_time"`);
    await queryRunner.query(`DROP INDEX "public"."chat_messages_user_time"`);
    await queryRunner.query(`DROP TABLE "chat_messages"`);
    await queryRunner.query(`DROP INDEX "public"."shows_status_time"`);
    await queryRunner.query(`DROP INDEX "public"."shows_cooperative_time"`);
    await queryRunner.query(`DROP TABLE "shows"`);
  }
}
