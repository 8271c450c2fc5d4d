import { MigrationInterface, QueryRunner } from 'typeorm';

/** Parcel tracking: the steps each shipped order's parcel went through, and when its carrier was last asked. */
export class ParcelTracking1796670000000 implements MigrationInterface {
  name = 'ParcelTracking1796670000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "parcel_trackings" ("order_id" uuid NOT NULL, "provider" character varying(20) NOT NULL, "polled_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_error" character varying(300), CONSTRAINT "PK_parcel_trackings" PRIMARY KEY ("order_id"), CONSTRAINT "FK_parcel_trackings_order" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE)`,
    );
    await queryRunner.query(
      `CREATE TABLE "parcel_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "order_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" character varying(20) NOT NULL, "text" character varying(500) NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_parcel_events" PRIMARY KEY ("id"), CONSTRAINT "parcel_events_once" UNIQUE ("order_id", "at", "status", "text"), CONSTRAINT "parcel_events_status" CHECK ("status" IN ('collected', 'in_transit', 'delivering', 'delivered', 'problem', 'returned')), CONSTRAINT "FK_parcel_events_order" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "parcel_events"`);
    await queryRunner.query(`DROP TABLE "parcel_trackings"`);
  }
}
