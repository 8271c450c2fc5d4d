import { MigrationInterface, QueryRunner } from 'typeorm';

export class SettlementRunSkipped1795385241863 implements MigrationInterface {
  name = 'SettlementRunSkipped1795385241863';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "settlement_runs" ADD "skipped" jsonb NOT NULL DEFAULT '[]'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "settlement_runs" DROP COLUMN "skipped"`);
  }
}
