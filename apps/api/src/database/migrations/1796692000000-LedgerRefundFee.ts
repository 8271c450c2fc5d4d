import { MigrationInterface, QueryRunner } from 'typeorm';

/** A ledger kind of its own for the fee the provider kept on an order refunded in full before settlement. */
export class LedgerRefundFee1796692000000 implements MigrationInterface {
  name = 'LedgerRefundFee1796692000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ledger_transactions" DROP CONSTRAINT "ledger_transactions_kind"`);
    await queryRunner.query(
      `ALTER TABLE "ledger_transactions" ADD CONSTRAINT "ledger_transactions_kind" CHECK ("kind" IN ('payment','settlement','refund','reversal','refund_fee','dividend','payout'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ledger_transactions" DROP CONSTRAINT "ledger_transactions_kind"`);
    await queryRunner.query(
      `ALTER TABLE "ledger_transactions" ADD CONSTRAINT "ledger_transactions_kind" CHECK ("kind" IN ('payment','settlement','refund','reversal','dividend','payout'))`,
    );
  }
}
