import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { LedgerHeadDto, LedgerHeadHistoryDto, LedgerPublicKeyDto } from '@xiangbo/contracts';
import { GENESIS_HASH, headSigningPayload } from '@xiangbo/domain';
import { isUuid } from '../../common/cooperative-scope';
import { JobsService } from '../../jobs/jobs.service';
import { LedgerHead } from '../entities/ledger-head.entity';
import { LedgerErrorCode, LedgerException } from '../ledger.exception';
import { LedgerSigningKey } from './ledger-signing-key';

export const LEDGER_HEADS_DAILY_JOB = 'ledger.heads-daily';

const chinaDay = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * Each cooperative's chain head, signed with the platform key and published (docs/ledger.md, "Anchoring"): the head
 * now on request, and a dated history kept in `ledger_heads` (one a day, taken at 00:05 China time and on the first
 * request of a day, and one at the end of every settlement run).
 */
@Injectable()
export class LedgerHeadsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly key: LedgerSigningKey,
    private readonly jobs: JobsService,
  ) {}

  onModuleInit(): void {
    this.jobs.register(LEDGER_HEADS_DAILY_JOB, () => this.daily().then(() => undefined), '5 16 * * *');
  }

  publicKey(): LedgerPublicKeyDto {
    return {
      algorithm: 'Ed25519',
      keyId: this.key.keyId,
      publicKey: this.key.publicKeyRaw,
      pem: this.key.publicKeyPem,
    };
  }

  /** The head now, signed (public). Also keeps today's daily head if there is none yet. */
  async current(cooperativeId: string): Promise<LedgerHeadDto> {
    await this.assertCooperative(cooperativeId);
    const head = await this.take(cooperativeId);
    await this.store(head, 'daily');
    return head;
  }

  /** The dated history, newest first (public). */
  async history(cooperativeId: string, limit = 120): Promise<LedgerHeadHistoryDto> {
    await this.assertCooperative(cooperativeId);
    const rows = await this.db.getRepository(LedgerHead).find({
      where: { cooperativeId },
      order: { at: 'DESC', seq: 'DESC' },
      take: limit,
    });
    return {
      cooperativeId,
      heads: rows.map((r) => ({
        cooperativeId,
        seq: r.seq,
        hash: r.hash,
        at: r.at,
        keyId: r.keyId,
        signature: r.signature,
        reason: r.reason,
      })),
    };
  }

  /** Takes, signs and keeps the head (the end of a settlement run: `settlement`). */
  async record(cooperativeId: string, reason: 'daily' | 'settlement'): Promise<LedgerHeadDto> {
    const head = await this.take(cooperativeId);
    await this.store(head, reason);
    return head;
  }

  /** Today's head of every cooperative with a ledger (the cron). */
  async daily(): Promise<number> {
    const coops: { cooperative_id: string }[] = await this.db.query(
      'SELECT DISTINCT cooperative_id FROM ledger_transactions',
    );
    for (const c of coops) await this.record(c.cooperative_id, 'daily');
    return coops.length;
  }

  private async take(cooperativeId: string): Promise<LedgerHeadDto> {
    const [last]: { seq: number; hash: string }[] = await this.db.query(
      'SELECT seq, hash FROM ledger_transactions WHERE cooperative_id = $1 ORDER BY seq DESC LIMIT 1',
      [cooperativeId],
    );
    const statement = {
      cooperativeId,
      seq: last?.seq ?? 0,
      hash: last?.hash ?? GENESIS_HASH,
      at: new Date().toISOString(),
      keyId: this.key.keyId,
    };
    return { ...statement, signature: this.key.sign(headSigningPayload(statement)) };
  }

  private async store(head: LedgerHeadDto, reason: 'daily' | 'settlement'): Promise<void> {
    await this.db.query(
      `INSERT INTO ledger_heads (cooperative_id, seq, hash, at, day, reason, key_id, signature)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (cooperative_id, day) WHERE reason = 'daily' DO NOTHING`,
      [
        head.cooperativeId,
        head.seq,
        head.hash,
        head.at,
        chinaDay(new Date(head.at)),
        reason,
        head.keyId,
        head.signature,
      ],
    );
  }

  private async assertCooperative(cooperativeId: string): Promise<void> {
    const [coop] = isUuid(cooperativeId)
      ? await this.db.query('SELECT id FROM cooperatives WHERE id = $1', [cooperativeId])
      : [];
    if (!coop) throw new LedgerException(LedgerErrorCode.COOPERATIVE_NOT_FOUND, 'cooperative not found');
  }
}
