import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Writable } from 'node:stream';
import { DataSource, QueryRunner } from 'typeorm';
import type { ExportLine, LedgerKind, LedgerTransactionContent } from '@xiangbo/domain';
import { GENESIS_HASH, LedgerError, transactionLine } from '@xiangbo/domain';
import type { Principal } from '../auth/principal';
import { PersonalDataAccessService } from '../households/personal-data-access.service';
import { SharingPolicyVersion } from './entities/sharing-policy.entity';
import { exportRole } from './ledger-access';
import { LedgerErrorCode, LedgerException } from './ledger.exception';
import { toDomainPolicy } from './policies.service';

const PAGE = 5000;

type Row = {
  seq: number;
  idempotency_key: string;
  kind: string;
  occurred_at: string;
  reference: Record<string, unknown>;
  prev_hash: string;
  hash: string;
};

/**
 * A transaction line with its hashed content verbatim (`transactionLine`, docs/ledger.md), so the verifier can hash
 * the line's own bytes. A stored entry that canonical JSON cannot hold (it could not have been hashed when it was
 * appended: only a changed row) is still exported, as plain JSON, for the verifier to name.
 */
function exportedTransactionLine(content: LedgerTransactionContent, hash: string): string {
  try {
    return transactionLine(content, hash);
  } catch (e) {
    if (!(e instanceof LedgerError)) throw e;
    return JSON.stringify({ type: 'transaction', ...content, hash });
  }
}

/**
 * The ledger export (JSON Lines, `xiangbo-ledger/1`, docs/ledger.md): header, every policy version, every
 * transaction in seq order with its postings in hashed order, the balances, a footer. Read in one
 * REPEATABLE READ snapshot and streamed page by page, so a ledger of millions of entries never sits in memory
 * and appends made meanwhile never half-appear.
 */
@Injectable()
export class LedgerExportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: PersonalDataAccessService,
  ) {}

  /** Authorises (coop_admin of it, or an auditor assigned to it; others 404) and logs the read. */
  async authorise(p: Principal, cooperativeId: string): Promise<void> {
    const role = exportRole(p, cooperativeId);
    const [coop] = await this.db.query('SELECT id FROM cooperatives WHERE id = $1', [cooperativeId]);
    if (!coop) throw new LedgerException(LedgerErrorCode.COOPERATIVE_NOT_FOUND, 'cooperative not found');
    await this.access.record(undefined, {
      actorId: p.userId,
      actorRole: role,
      householdId: null,
      action: 'ledger.export',
      detail: `ledger export (JSON Lines) of cooperative ${cooperativeId}`,
    });
  }

  async write(cooperativeId: string, out: Writable): Promise<void> {
    const qr = this.db.createQueryRunner();
    await qr.connect();
    await qr.startTransaction('REPEATABLE READ');
    try {
      await this.writeAll(qr, cooperativeId, out);
      await qr.commitTransaction();
    } catch (e) {
      await qr.rollbackTransaction().catch(() => undefined);
      throw e;
    } finally {
      await qr.release();
    }
  }

  private async writeAll(qr: QueryRunner, cooperativeId: string, out: Writable): Promise<void> {
    const send = (lines: string[]) =>
      new Promise<void>((resolve, reject) => {
        if (!lines.length) return resolve();
        const ok = out.write(lines.join('\n') + '\n', (err) => err && reject(err));
        if (ok) resolve();
        else out.once('drain', resolve);
      });
    const header: ExportLine = {
      type: 'header',
      format: 'xiangbo-ledger/1',
      cooperativeId,
      exportedAt: new Date().toISOString(),
    };
    const policies = await qr.manager
      .getRepository(SharingPolicyVersion)
      .find({ where: { cooperativeId }, order: { version: 'ASC' } });
    await send([
      JSON.stringify(header),
      ...policies.map((v) =>
        JSON.stringify({
          type: 'policy',
          cooperativeId,
          policy: { ...toDomainPolicy(v), effectiveFrom: v.effectiveFrom.toISOString(), note: v.note },
        }),
      ),
    ]);

    let lastSeq = 0;
    let lastHash = GENESIS_HASH;
    let count = 0;
    for (;;) {
      const txs: Row[] = await qr.query(
        `SELECT seq, idempotency_key, kind, occurred_at, reference, prev_hash, hash FROM ledger_transactions
          WHERE cooperative_id = $1 AND seq > $2 ORDER BY seq LIMIT ${PAGE}`,
        [cooperativeId, lastSeq],
      );
      if (!txs.length) break;
      const postings: { seq: number; account: string; amount: string; currency: 'CNY' }[] = await qr.query(
        `SELECT t.seq, p.account, p.amount::text AS amount, p.currency FROM ledger_postings p JOIN ledger_transactions t ON t.id = p.transaction_id
          WHERE t.cooperative_id = $1 AND t.seq > $2 AND t.seq <= $3 ORDER BY t.seq, p.position`,
        [cooperativeId, lastSeq, txs[txs.length - 1].seq],
      );
      let i = 0;
      const lines = txs.map((t) => {
        const ps: { account: string; amount: number; currency: 'CNY' }[] = [];
        while (i < postings.length && postings[i].seq === t.seq) {
          const p = postings[i++];
          ps.push({ account: p.account, amount: Number(p.amount), currency: p.currency });
        }
        const content: LedgerTransactionContent = {
          cooperativeId,
          seq: t.seq,
          idempotencyKey: t.idempotency_key,
          kind: t.kind as LedgerKind,
          occurredAt: t.occurred_at,
          reference: t.reference,
          postings: ps,
          prevHash: t.prev_hash,
        };
        return exportedTransactionLine(content, t.hash);
      });
      await send(lines);
      lastSeq = txs[txs.length - 1].seq;
      lastHash = txs[txs.length - 1].hash;
      count += txs.length;
    }

    // Balances derived from the postings, in the same snapshot.
    const rows: { account: string; balance: string }[] = await qr.query(
      `SELECT p.account, SUM(p.amount)::text AS balance FROM ledger_postings p JOIN ledger_transactions t ON t.id = p.transaction_id
        WHERE t.cooperative_id = $1 GROUP BY p.account ORDER BY p.account`,
      [cooperativeId],
    );
    const balances = Object.fromEntries(rows.map((r) => [r.account, Number(r.balance)]));
    await send([
      JSON.stringify({ type: 'balances', cooperativeId, balances }),
      JSON.stringify({ type: 'footer', transactions: count, lastHash }),
    ]);
  }
}
