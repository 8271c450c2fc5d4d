import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { maskPhone } from '@xiangbo/domain';
import { PersonalDataCipher } from '../households/personal-data-cipher';
import { JobsService } from '../jobs/jobs.service';
import { SmsOutbox } from './sms-outbox.entity';
import { SMS_PROVIDER, SmsCodeMessage, SmsProvider, SmsSendError } from './sms-provider';

export const SMS_RETRY_JOB = 'sms.outbox-retry';
/** Attempts before a message is given up (status failed; the payout then needs an auditor's attestation). */
export const SMS_MAX_ATTEMPTS = 6;

export type SmsDeliveryStatus = 'pending' | 'sent' | 'failed';

/**
 * The SMS outbox: `enqueue` inside the transaction of the cause, `deliver` after it commits; the job retries what
 * is still pending every minute. A row is sent by one process at a time (row lock, SKIP LOCKED), and once sent
 * is never sent again, so a message goes out once per key however often delivery is attempted.
 */
@Injectable()
export class SmsOutboxService implements OnModuleInit {
  private readonly logger = new Logger('SmsOutbox');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(SMS_PROVIDER) private readonly provider: SmsProvider,
    private readonly cipher: PersonalDataCipher,
    private readonly jobs: JobsService,
  ) {}

  onModuleInit() {
    this.jobs.register(SMS_RETRY_JOB, () => this.deliverPending().then(() => undefined), '* * * * *');
  }

  /** Queues the message in the caller's transaction; the same key again returns the queued one. */
  async enqueue(m: EntityManager, message: SmsCodeMessage): Promise<string> {
    const payload = this.cipher.encrypt(JSON.stringify({ to: message.to, code: message.code, params: message.params }));
    const rows: { id: string }[] = await m.query(
      `INSERT INTO sms_outbox (key, to_masked, payload) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING id`,
      [message.key, maskPhone(message.to), payload],
    );
    return rows[0].id;
  }

  /** Sends one queued message if it is still pending; answers its status afterwards. Never throws for a send. */
  async deliver(id: string): Promise<SmsDeliveryStatus> {
    return this.db.transaction(async (m) => {
      const row = await m
        .getRepository(SmsOutbox)
        .createQueryBuilder('o')
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .where('o.id = :id', { id })
        .getOne();
      if (!row) {
        // Being sent by another process right now (or gone): report what is known.
        const current = await m.getRepository(SmsOutbox).findOne({ where: { id } });
        return current?.status ?? 'pending';
      }
      if (row.status !== 'pending' || !row.payload) return row.status;
      const data = JSON.parse(this.cipher.decrypt(row.payload)) as Omit<SmsCodeMessage, 'key'>;
      const attempts = row.attempts + 1;
      try {
        const sent = await this.provider.sendCode({ ...data, key: row.key });
        await m.getRepository(SmsOutbox).update(row.id, {
          status: 'sent',
          payload: null,
          attempts,
          provider: sent.provider,
          messageId: sent.messageId.slice(0, 100),
          sentAt: new Date(),
          lastError: null,
        });
        return 'sent';
      } catch (e) {
        const retryable = e instanceof SmsSendError ? e.retryable : true;
        const giveUp = !retryable || attempts >= SMS_MAX_ATTEMPTS;
        const error = (e as Error).message.slice(0, 300);
        this.logger.warn({ key: row.key, to: row.toMasked, attempts, giveUp }, `SMS not sent: ${error}`);
        await m.getRepository(SmsOutbox).update(row.id, {
          status: giveUp ? 'failed' : 'pending',
          payload: giveUp ? null : row.payload,
          attempts,
          lastError: error,
        });
        return giveUp ? 'failed' : 'pending';
      }
    });
  }

  /** The job: every message still pending, oldest first. */
  async deliverPending(): Promise<{ sent: number; pending: number; failed: number }> {
    const ids: { id: string }[] = await this.db.query(
      `SELECT id FROM sms_outbox WHERE status = 'pending' ORDER BY created_at LIMIT 200`,
    );
    const out = { sent: 0, pending: 0, failed: 0 };
    for (const { id } of ids) out[await this.deliver(id)] += 1;
    return out;
  }

  async statusByKey(key: string): Promise<SmsDeliveryStatus | null> {
    const row = await this.db.getRepository(SmsOutbox).findOne({ where: { key }, select: { status: true } });
    return row?.status ?? null;
  }
}
