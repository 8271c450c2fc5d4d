import { MigrationInterface, QueryRunner } from 'typeorm';

export class ShowStreams1795393802664 implements MigrationInterface {
  name = 'ShowStreams1795393802664';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "show_streams" ("show_id" uuid NOT NULL, "stream_key" character varying(64) NOT NULL, "playback_id" character varying(32) NOT NULL, "receiving" boolean NOT NULL DEFAULT false, "publisher_session" character varying(64), "publisher_key" character varying(64), "ingest" jsonb, "last_refusal" character varying(40), "recording" character varying(10) NOT NULL DEFAULT 'none', "recording_ranges" jsonb, "recording_ms" integer, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_c59116b0d1fca239bc67f23bd6c" UNIQUE ("stream_key"), CONSTRAINT "UQ_4b3e0800013dd151d386863981b" UNIQUE ("playback_id"), CONSTRAINT "show_streams_recording" CHECK ("recording" IN ('none','recording','ready')), CONSTRAINT "PK_d2a1ffb6d7dd4304a64211cc42e" PRIMARY KEY ("show_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "show_streams" ADD CONSTRAINT "FK_d2a1ffb6d7dd4304a64211cc42e" FOREIGN KEY ("show_id") REFERENCES "shows"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "show_streams" DROP CONSTRAINT "FK_d2a1ffb6d7dd4304a64211cc42e"`);
    await queryRunner.query(`DROP TABLE "show_streams"`);
  }
}
