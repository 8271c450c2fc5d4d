import { MigrationInterface, QueryRunner } from 'typeorm';

export class CooperativesRegistryCatalog1795383312373 implements MigrationInterface {
  name = 'CooperativesRegistryCatalog1795383312373';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "cooperatives" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(100) NOT NULL, "uscc" character(18) NOT NULL, "province" character varying(20) NOT NULL, "city" character varying(30) NOT NULL, "county" character varying(30) NOT NULL, "township" character varying(30) NOT NULL, "village" character varying(30) NOT NULL, "story" text NOT NULL DEFAULT '', "contact_name" character varying(40) NOT NULL, "contact_phone" character varying(20) NOT NULL, "logo_key" character varying(200), "status" character varying(10) NOT NULL DEFAULT 'pending', "review_reason" character varying(500), "applicant_id" uuid NOT NULL, "reviewed_by" uuid, "reviewed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "cooperatives_status" CHECK ("status" IN ('pending','approved','rejected')), CONSTRAINT "PK_52fc93ab8869e3f71c46601fe9b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "cooperatives_uscc" ON "cooperatives"  ("uscc") `);
    await queryRunner.query(`CREATE INDEX "cooperatives_status_idx" ON "cooperatives"  ("status") `);
    await queryRunner.query(
      `CREATE TABLE "products" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "cooperative_id" uuid NOT NULL, "name_zh" character varying(80) NOT NULL, "name_en" character varying(120), "description_zh" text NOT NULL DEFAULT '', "description_en" text, "category" character varying(20) NOT NULL, "unit" character varying(10) NOT NULL, "price_fen" bigint NOT NULL, "currency" character varying(3) NOT NULL DEFAULT 'CNY', "stock" integer NOT NULL DEFAULT '0', "sold_count" integer NOT NULL DEFAULT '0', "origin_province" character varying(20) NOT NULL, "origin_county" character varying(30) NOT NULL, "origin_village" character varying(30) NOT NULL, "shelf_life_days" integer, "storage" character varying(100) NOT NULL DEFAULT '', "shipping_regions" text array NOT NULL DEFAULT '{}', "published" boolean NOT NULL DEFAULT false, "search_vector" tsvector, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "products_unit" CHECK ("unit" IN ('jin','kg','box','case','bag')), CONSTRAINT "products_category" CHECK ("category" IN ('fungi','tea','fruit','grain_oil','dried','poultry_meat','handicraft','herbs','vegetables','other')), CONSTRAINT "products_stock" CHECK ("stock" >= 0), CONSTRAINT "products_price" CHECK ("price_fen" >= 0), CONSTRAINT "PK_0806c755e0aca124e67c0cf6d7d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "products_listing" ON "products"  ("published", "category", "origin_province") `,
    );
    await queryRunner.query(`CREATE INDEX "products_cooperative" ON "products"  ("cooperative_id") `);
    await queryRunner.query(
      `CREATE TABLE "lots" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "product_id" uuid NOT NULL, "code" character varying(40) NOT NULL, "harvest_date" date NOT NULL, "quantity" integer NOT NULL, "note" character varying(300) NOT NULL DEFAULT '', "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "lots_quantity" CHECK ("quantity" > 0), CONSTRAINT "PK_2bb990a4015865cb1daa1d22fd9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "lots_code" ON "lots"  ("product_id", "code") `);
    await queryRunner.query(`CREATE INDEX "lots_product" ON "lots"  ("product_id", "harvest_date") `);
    await queryRunner.query(
      `CREATE TABLE "households" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "head_name" character varying(40) NOT NULL, "id_number_hash" character(64) NOT NULL, "id_number_masked" character(18) NOT NULL, "province" character varying(20) NOT NULL, "city" character varying(30) NOT NULL, "county" character varying(30) NOT NULL, "township" character varying(30) NOT NULL, "village" character varying(30) NOT NULL, "household_size" smallint NOT NULL, "poverty_causes" text array NOT NULL DEFAULT '{}', "status" character varying(12) NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "households_size" CHECK ("household_size" BETWEEN 1 AND 30), CONSTRAINT "households_status" CHECK ("status" IN ('registered','monitored','lifted','none')), CONSTRAINT "PK_2b1aef2640717132e9231aac756" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "households_id_hash" ON "households"  ("id_number_hash") `);
    await queryRunner.query(`CREATE INDEX "households_village" ON "households"  ("village") `);
    await queryRunner.query(`CREATE INDEX "households_status_idx" ON "households"  ("status") `);
    await queryRunner.query(
      `CREATE TABLE "lot_supplies" ("lot_id" uuid NOT NULL, "household_id" uuid NOT NULL, "quantity" integer NOT NULL, CONSTRAINT "lot_supplies_quantity" CHECK ("quantity" > 0), CONSTRAINT "PK_c71a3b2723953614387c7406faf" PRIMARY KEY ("lot_id", "household_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "lot_supplies_household" ON "lot_supplies"  ("household_id") `);
    await queryRunner.query(
      `CREATE TABLE "product_photos" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "product_id" uuid NOT NULL, "position" smallint NOT NULL, "storage_key" character varying(200) NOT NULL, "thumb_key" character varying(200) NOT NULL, "width" integer NOT NULL, "height" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0586e8a3f1766827efaf0ee3943" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "product_photos_product" ON "product_photos"  ("product_id", "position") `);
    await queryRunner.query(
      `CREATE TABLE "memberships" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "cooperative_id" uuid NOT NULL, "household_id" uuid NOT NULL, "share_units" integer NOT NULL DEFAULT '0', "land_mu_hundredths" integer NOT NULL DEFAULT '0', "labour_role" character varying(20) NOT NULL DEFAULT 'none', "joined_at" date NOT NULL, "left_at" date, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "memberships_labour_role" CHECK ("labour_role" IN ('grower','worker','manager','none')), CONSTRAINT "memberships_land" CHECK ("land_mu_hundredths" >= 0), CONSTRAINT "memberships_share_units" CHECK ("share_units" >= 0), CONSTRAINT "PK_25d28bd932097a9e90495ede7b4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "memberships_cooperative" ON "memberships"  ("cooperative_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "memberships_one_active" ON "memberships"  ("household_id") WHERE "left_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "staff_invitations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "cooperative_id" uuid NOT NULL, "identifier" character varying(254) NOT NULL, "role" character varying(20) NOT NULL, "invited_by" uuid NOT NULL, "accepted_by" uuid, "accepted_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "staff_invitations_role" CHECK ("role" IN ('host','coop_admin')), CONSTRAINT "PK_842e5346c92d8003bdb2140b6c8" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "staff_invitations_identifier" ON "staff_invitations"  ("identifier") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "staff_invitations_open" ON "staff_invitations"  ("cooperative_id", "identifier", "role") WHERE "accepted_at" IS NULL AND "revoked_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "household_status_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "household_id" uuid NOT NULL, "status" character varying(12) NOT NULL, "effective_date" date NOT NULL, "reason" character varying(500) NOT NULL, "recorded_by" uuid NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "household_status_events_status" CHECK ("status" IN ('registered','monitored','lifted','none')), CONSTRAINT "PK_86dc8a9444b324164a06c9e54dd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "household_status_events_household" ON "household_status_events"  ("household_id", "effective_date") `,
    );
    await queryRunner.query(
      `CREATE TABLE "personal_data_access_log" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "actor_id" uuid NOT NULL, "actor_role" character varying(20) NOT NULL, "household_id" uuid, "action" character varying(40) NOT NULL, "detail" character varying(200) NOT NULL DEFAULT '', "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4cacb73199ffd64c66ecb2d0044" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "personal_data_access_actor" ON "personal_data_access_log"  ("actor_id", "at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "personal_data_access_household" ON "personal_data_access_log"  ("household_id", "at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "role_assignments" ADD CONSTRAINT "FK_4e542100165f82f9a94dfcffd1c" FOREIGN KEY ("cooperative_id") REFERENCES "cooperatives"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "products" ADD CONSTRAINT "FK_ef4ff8317b8e8f995533d5f3b7b" FOREIGN KEY ("cooperative_id") REFERENCES "cooperatives"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "lots" ADD CONSTRAINT "FK_612547dfb7be1485b6a7423da2a" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "lot_supplies" ADD CONSTRAINT "FK_a842a67f8c1a953b44ae64f1d76" FOREIGN KEY ("lot_id") REFERENCES "lots"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "lot_supplies" ADD CONSTRAINT "FK_fffdaa3b609269799f4593c9478" FOREIGN KEY ("household_id") REFERENCES "households"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "product_photos" ADD CONSTRAINT "FK_ef0be6cd13fe604b1e7ae5987b8" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "memberships" ADD CONSTRAINT "FK_ffaf42796d5f632ade086915051" FOREIGN KEY ("cooperative_id") REFERENCES "cooperatives"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "memberships" ADD CONSTRAINT "FK_1b96a2f87ef2e32874da1695d0c" FOREIGN KEY ("household_id") REFERENCES "households"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "staff_invitations" ADD CONSTRAINT "FK_6212c2d7a6d912683367350875f" FOREIGN KEY ("cooperative_id") REFERENCES "cooperatives"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "household_status_events" ADD CONSTRAINT "FK_e061dc80741b2c37b21cfde068b" FOREIGN KEY ("household_id") REFERENCES "households"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`CREATE INDEX "products_search" ON "products" USING GIN ("search_vector")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."products_search"`);
    await queryRunner.query(`ALTER TABLE "household_status_events" DROP CONSTRAINT "FK_e061dc80741b2c37b21cfde068b"`);
    await queryRunner.query(`ALTER TABLE "staff_invitations" DROP CONSTRAINT "FK_6212c2d7a6d912683367350875f"`);
    await queryRunner.query(`ALTER TABLE "memberships" DROP CONSTRAINT "FK_1b96a2f87ef2e32874da1695d0c"`);
    await queryRunner.query(`ALTER TABLE "memberships" DROP CONSTRAINT "FK_ffaf42796d5f632ade086915051"`);
    await queryRunner.query(`ALTER TABLE "product_photos" DROP CONSTRAINT "FK_ef0be6cd13fe604b1e7ae5987b8"`);
    await queryRunner.query(`ALTER TABLE "lot_supplies" DROP CONSTRAINT "FK_fffdaa3b609269799f4593c9478"`);
    await queryRunner.query(`ALTER TABLE "lot_supplies" DROP CONSTRAINT "FK_a842a67f8c1a953b44ae64f1d76"`);
    await queryRunner.query(`ALTER TABLE "lots" DROP CONSTRAINT "FK_612547dfb7be1485b6a7423da2a"`);
    await queryRunner.query(`ALTER TABLE "products" DROP CONSTRAINT "FK_ef4ff8317b8e8f995533d5f3b7b"`);
    await queryRunner.query(`ALTER TABLE "role_assignments" DROP CONSTRAINT "FK_4e542100165f82f9a94dfcffd1c"`);
    await queryRunner.query(`DROP INDEX "public"."personal_data_access_household"`);
    await queryRunner.query(`DROP INDEX "public"."personal_data_access_actor"`);
    await queryRunner.query(`DROP TABLE "personal_data_access_log"`);
    await queryRunner.query(`DROP INDEX "public"."household_status_events_household"`);
    await queryRunner.query(`DROP TABLE "household_status_events"`);
    await queryRunner.query(`DROP INDEX "public"."staff_invitations_open"`);
    await queryRunner.query(`DROP INDEX "public"."staff_invitations_identifier"`);
    await queryRunner.query(`DROP TABLE "staff_invitations"`);
    await queryRunner.query(`DROP INDEX "public"."memberships_one_active"`);
    await queryRunner.query(`DROP INDEX "public"."memberships_cooperative"`);
    await queryRunner.query(`DROP TABLE "memberships"`);
    await queryRunner.query(`DROP INDEX "public"."product_photos_product"`);
    await queryRunner.query(`DROP TABLE "product_photos"`);
    await queryRunner.query(`DROP INDEX "public"."lot_supplies_household"`);
    await queryRunner.query(`DROP TABLE "lot_supplies"`);
    await queryRunner.query(`DROP INDEX "public"."households_status_idx"`);
    await queryRunner.query(`DROP INDEX "public"."households_village"`);
    await queryRunner.query(`DROP INDEX "public"."households_id_hash"`);
    await queryRunner.query(`DROP TABLE "households"`);
    await queryRunner.query(`DROP INDEX "public"."lots_product"`);
    await queryRunner.query(`DROP INDEX "public"."lots_code"`);
    await queryRunner.query(`DROP TABLE "lots"`);
    await queryRunner.query(`DROP INDEX "public"."products_cooperative"`);
    await queryRunner.query(`DROP INDEX "public"."products_listing"`);
    await queryRunner.query(`DROP TABLE "products"`);
    await queryRunner.query(`DROP INDEX "public"."cooperatives_status_idx"`);
    await queryRunner.query(`DROP INDEX "public"."cooperatives_uscc"`);
    await queryRunner.query(`DROP TABLE "cooperatives"`);
  }
}
