import { MigrationInterface, QueryRunner } from 'typeorm';

/** Photos a cooperative uploads for a product before its first save; a product's creation takes them. */
export class PendingPhotos1796691000000 implements MigrationInterface {
  name = 'PendingPhotos1796691000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "pending_photos" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "cooperative_id" uuid NOT NULL, "uploaded_by" uuid NOT NULL, "storage_key" character varying(200) NOT NULL, "thumb_key" character varying(200) NOT NULL, "width" integer NOT NULL, "height" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5fe3546a8a05b504aad08f7c0b1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "pending_photos_created" ON "pending_photos"  ("created_at") `);
    await queryRunner.query(
      `CREATE INDEX "pending_photos_cooperative" ON "pending_photos"  ("cooperative_id", "created_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "pending_photos" ADD CONSTRAINT "FK_b16055c6545e9b9b55864a20b02" FOREIGN KEY ("cooperative_id") REFERENCES "cooperatives"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "pending_photos" DROP CONSTRAINT "FK_b16055c6545e9b9b55864a20b02"`);
    await queryRunner.query(`DROP INDEX "public"."pending_photos_cooperative"`);
    await queryRunner.query(`DROP INDEX "public"."pending_photos_created"`);
    await queryRunner.query(`DROP TABLE "pending_photos"`);
  }
}
