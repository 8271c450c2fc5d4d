import { MigrationInterface, QueryRunner } from 'typeorm';

export class Reviews1796655673508 implements MigrationInterface {
  name = 'Reviews1796655673508';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "reviews" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "order_id" uuid NOT NULL, "order_line_id" uuid NOT NULL, "product_id" uuid NOT NULL, "cooperative_id" uuid NOT NULL, "buyer_id" uuid NOT NULL, "buyer_masked" character varying(40) NOT NULL, "rating" smallint NOT NULL, "text" character varying(500) NOT NULL, "photos" jsonb NOT NULL DEFAULT '[]', "reply_text" character varying(300), "replied_at" TIMESTAMP WITH TIME ZONE, "replied_by" uuid, "hidden" boolean NOT NULL DEFAULT false, "hidden_reason" character varying(200), "report_count" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "reviews_one_per_line" UNIQUE ("order_line_id"), CONSTRAINT "reviews_rating" CHECK ("rating" BETWEEN 1 AND 5), CONSTRAINT "PK_231ae565c273ee700b283f15c1d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "reviews_cooperative" ON "reviews"  ("cooperative_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "reviews_product_visible" ON "reviews"  ("product_id", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "review_reports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "review_id" uuid NOT NULL, "reporter_id" uuid NOT NULL, "reason" character varying(200) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "review_reports_once" UNIQUE ("review_id", "reporter_id"), CONSTRAINT "PK_173974ee185c21487767bdb54dc" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "review_reports_review" ON "review_reports"  ("review_id") `);
    await queryRunner.query(
      `ALTER TABLE "reviews" ADD CONSTRAINT "FK_7b9fa15a67fe3e41f7f38dd3f91" FOREIGN KEY ("order_line_id") REFERENCES "order_lines"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "review_reports" ADD CONSTRAINT "FK_207877d200ea358e05ab4d70338" FOREIGN KEY ("review_id") REFERENCES "reviews"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "review_reports" DROP CONSTRAINT "FK_207877d200ea358e05ab4d70338"`);
    await queryRunner.query(`ALTER TABLE "reviews" DROP CONSTRAINT "FK_7b9fa15a67fe3e41f7f38dd3f91"`);
    await queryRunner.query(`DROP INDEX "public"."review_reports_review"`);
    await queryRunner.query(`DROP TABLE "review_reports"`);
    await queryRunner.query(`DROP INDEX "public"."reviews_product_visible"`);
    await queryRunner.query(`DROP INDEX "public"."reviews_cooperative"`);
    await queryRunner.query(`DROP TABLE "reviews"`);
  }
}
