import { MigrationInterface, QueryRunner } from 'typeorm';

/** 客服 messages: one conversation per buyer and cooperative, its messages, and each side's unread count. */
export class Messages1796682000000 implements MigrationInterface {
  name = 'Messages1796682000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "conversations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "cooperative_id" uuid NOT NULL, "buyer_id" uuid NOT NULL, "buyer_masked" character varying(40) NOT NULL, "subject_kind" character varying(10), "subject_id" uuid, "buyer_unread" integer NOT NULL DEFAULT '0', "staff_unread" integer NOT NULL DEFAULT '0', "buyer_read_at" TIMESTAMP WITH TIME ZONE, "staff_read_at" TIMESTAMP WITH TIME ZONE, "last_message_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "conversations_one_per_buyer" UNIQUE ("cooperative_id", "buyer_id"), CONSTRAINT "conversations_unread" CHECK ("buyer_unread" >= 0 AND "staff_unread" >= 0), CONSTRAINT "conversations_subject" CHECK ("subject_kind" IS NULL OR "subject_kind" IN ('product','order')), CONSTRAINT "PK_ee34f4f7ced4ec8681f26bf04ef" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "conversations_buyer_recent" ON "conversations"  ("buyer_id", "last_message_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "conversations_cooperative_recent" ON "conversations"  ("cooperative_id", "last_message_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "conversation_messages" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "conversation_id" uuid NOT NULL, "sender_side" character varying(5) NOT NULL, "sender_id" uuid NOT NULL, "kind" character varying(7) NOT NULL, "text" character varying(500) NOT NULL DEFAULT '', "photo" jsonb, "ref_id" uuid, "client_id" character varying(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "conversation_messages_client_once" UNIQUE ("conversation_id", "client_id"), CONSTRAINT "conversation_messages_kind" CHECK ("kind" IN ('text','photo','product','order')), CONSTRAINT "conversation_messages_side" CHECK ("sender_side" IN ('buyer','staff')), CONSTRAINT "PK_113248f25c4c0a7c179b3f5a609" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "conversation_messages_page" ON "conversation_messages"  ("conversation_id", "id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "conversations" ADD CONSTRAINT "FK_cf94523460145205ab29c969973" FOREIGN KEY ("cooperative_id") REFERENCES "cooperatives"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "conversations" ADD CONSTRAINT "FK_4aaec38ea4546a391d0b31efd0a" FOREIGN KEY ("buyer_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "conversation_messages" ADD CONSTRAINT "FK_8e166abf2dd2ee28670e53e6803" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "conversation_messages" DROP CONSTRAINT "FK_8e166abf2dd2ee28670e53e6803"`);
    await queryRunner.query(`ALTER TABLE "conversations" DROP CONSTRAINT "FK_4aaec38ea4546a391d0b31efd0a"`);
    await queryRunner.query(`ALTER TABLE "conversations" DROP CONSTRAINT "FK_cf94523460145205ab29c969973"`);
    await queryRunner.query(`DROP INDEX "public"."conversation_messages_page"`);
    await queryRunner.query(`DROP TABLE "conversation_messages"`);
    await queryRunner.query(`DROP INDEX "public"."conversations_cooperative_recent"`);
    await queryRunner.query(`DROP INDEX "public"."conversations_buyer_recent"`);
    await queryRunner.query(`DROP TABLE "conversations"`);
  }
}
