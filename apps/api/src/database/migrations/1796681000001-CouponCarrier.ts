import { MigrationInterface, QueryRunner } from 'typeorm';

export class CouponCarrier1796681000001 implements MigrationInterface {
  name = 'CouponCarrier1796681000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "sharing_policies" ADD "coupon_carrier" character varying(12) NOT NULL DEFAULT 'cooperative'`,
    );
    await queryRunner.query(
      `ALTER TABLE "sharing_policies" ADD CONSTRAINT "sharing_policies_coupon_carrier" CHECK ("coupon_carrier" IN ('cooperative','platform'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sharing_policies" DROP CONSTRAINT "sharing_policies_coupon_carrier"`);
    await queryRunner.query(`ALTER TABLE "sharing_policies" DROP COLUMN "coupon_carrier"`);
  }
}
