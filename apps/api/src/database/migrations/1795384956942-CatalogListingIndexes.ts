import { MigrationInterface, QueryRunner } from 'typeorm';

export class CatalogListingIndexes1795384956942 implements MigrationInterface {
  name = 'CatalogListingIndexes1795384956942';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "products_published_cooperative" ON "products"  ("cooperative_id") WHERE "published"`,
    );
    await queryRunner.query(
      `CREATE INDEX "products_published_price" ON "products"  ("price_fen", "id") WHERE "published"`,
    );
    await queryRunner.query(
      `CREATE INDEX "products_published_sales" ON "products"  ("sold_count", "created_at", "id") WHERE "published"`,
    );
    await queryRunner.query(
      `CREATE INDEX "products_published_newest" ON "products"  ("created_at", "id") WHERE "published"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."products_published_newest"`);
    await queryRunner.query(`DROP INDEX "public"."products_published_sales"`);
    await queryRunner.query(`DROP INDEX "public"."products_published_price"`);
    await queryRunner.query(`DROP INDEX "public"."products_published_cooperative"`);
  }
}
