import { MigrationInterface, QueryRunner } from 'typeorm';

/** Buyers' escalations of after-sales requests to the platform (平台介入) and the platform's decisions. */
export class AfterSalesDisputes1796690000000 implements MigrationInterface {
  name = 'AfterSalesDisputes1796690000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "after_sales_disputes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "after_sales_id" uuid NOT NULL, "order_id" uuid NOT NULL, "cooperative_id" uuid NOT NULL, "because" character varying(10) NOT NULL, "buyer_note" character varying(500) NOT NULL, "status" character varying(8) NOT NULL DEFAULT 'open', "decision_note" character varying(300), "refund_fen" bigint, "refund_id" uuid, "decided_by" uuid, "decided_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "after_sales_disputes_because" CHECK ("because" IN ('refused','unanswered')), CONSTRAINT "after_sales_disputes_status" CHECK ("status" IN ('open','refunded','upheld')), CONSTRAINT "PK_d0a2fa572833dd29202737ff97f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "after_sales_disputes_request" ON "after_sales_disputes"  ("after_sales_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "after_sales_disputes_refund" ON "after_sales_disputes"  ("refund_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "after_sales_disputes_queue" ON "after_sales_disputes"  ("status", "created_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."after_sales_disputes_queue"`);
    await queryRunner.query(`DROP INDEX "public"."after_sales_disputes_refund"`);
    await queryRunner.query(`DROP INDEX "public"."after_sales_disputes_request"`);
    await queryRunner.query(`DROP TABLE "after_sales_disputes"`);
  }
}
