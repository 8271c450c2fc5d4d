import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CreateFindingRequest, FindingSubject, FindingView } from '@xiangbo/contracts';
import { findingSubjectSchema } from '@xiangbo/contracts';
import type { Principal } from '../auth/principal';
import { cooperativeScope, isUuid } from '../common/cooperative-scope';
import { Finding } from '../ledger/entities/finding.entity';
import { AuditErrorCode, AuditException } from './audit.exception';

const notFound = () => new AuditException(AuditErrorCode.FINDING_NOT_FOUND, 'finding not found');

/** An auditor of this cooperative, or 404 (the same answer as a cooperative that does not exist). */
export function assertAuditorOf(p: Principal, cooperativeId: string): void {
  if (!isUuid(cooperativeId) || !p.hasFor(cooperativeId, 'auditor')) {
    throw new AuditException(AuditErrorCode.COOPERATIVE_NOT_FOUND, 'cooperative not found');
  }
}

/**
 * Findings (问题线索): an auditor of the cooperative raises one, the cooperative's admin answers it, an auditor of
 * that cooperative (the one who raised it or another) closes it. Nobody else learns a finding exists.
 */
@Injectable()
export class FindingsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async raise(p: Principal, cooperativeId: string, body: CreateFindingRequest): Promise<FindingView> {
    assertAuditorOf(p, cooperativeId);
    const repo = this.db.getRepository(Finding);
    const saved = await repo.save(
      repo.create({
        cooperativeId,
        auditorId: p.userId,
        title: body.title,
        body: body.body,
        subject: findingSubjectSchema.parse(body.subject ?? { type: 'other' }),
        status: 'open',
      }),
    );
    return this.view(saved.id);
  }

  async forAuditor(p: Principal, cooperativeId: string): Promise<FindingView[]> {
    assertAuditorOf(p, cooperativeId);
    return this.list(cooperativeId);
  }

  async forCooperative(p: Principal, cooperativeId: string): Promise<FindingView[]> {
    if (cooperativeScope(p, cooperativeId, 'read') === 'not_found') {
      throw new AuditException(AuditErrorCode.COOPERATIVE_NOT_FOUND, 'cooperative not found');
    }
    return this.list(cooperativeId);
  }

  async answer(p: Principal, findingId: string, answer: string): Promise<FindingView> {
    await this.db.transaction(async (m) => {
      const f = await this.lock(m, findingId);
      const scope = f ? cooperativeScope(p, f.cooperativeId, 'manage') : 'not_found';
      if (!f || scope === 'not_found') throw notFound();
      if (scope === 'forbidden') {
        throw new AuditException(
          AuditErrorCode.FINDINGS_READ_ONLY,
          "only the cooperative's admins can answer findings",
        );
      }
      if (f.status === 'closed') throw new AuditException(AuditErrorCode.FINDING_CLOSED, 'this finding is closed');
      await m.getRepository(Finding).update(f.id, {
        answer,
        answeredBy: p.userId,
        answeredAt: new Date(),
        status: 'answered',
      });
    });
    return this.view(findingId);
  }

  async close(p: Principal, findingId: string, note: string): Promise<FindingView> {
    await this.db.transaction(async (m) => {
      const f = await this.lock(m, findingId);
      if (!f || !p.hasFor(f.cooperativeId, 'auditor')) throw notFound();
      if (f.status === 'closed')
        throw new AuditException(AuditErrorCode.FINDING_CLOSED, 'this finding is already closed');
      await m.getRepository(Finding).update(f.id, { closingNote: note, closedAt: new Date(), status: 'closed' });
    });
    return this.view(findingId);
  }

  /** Open, answered and closed counts of a cooperative. */
  async counts(cooperativeId: string): Promise<{ open: number; answered: number; closed: number }> {
    const rows: { status: 'open' | 'answered' | 'closed'; n: number }[] = await this.db.query(
      `SELECT status, count(*)::int AS n FROM findings WHERE cooperative_id = $1 GROUP BY status`,
      [cooperativeId],
    );
    const out = { open: 0, answered: 0, closed: 0 };
    for (const r of rows) out[r.status] = r.n;
    return out;
  }

  private lock(m: EntityManager, id: string): Promise<Finding | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return m
      .getRepository(Finding)
      .createQueryBuilder('f')
      .setLock('pessimistic_write')
      .where('f.id = :id', { id })
      .getOne();
  }

  private async list(cooperativeId: string): Promise<FindingView[]> {
    return this.query('f.cooperative_id = $1', [cooperativeId]);
  }

  private async view(id: string): Promise<FindingView> {
    const [v] = await this.query('f.id = $1', [id]);
    return v;
  }

  private async query(where: string, params: unknown[]): Promise<FindingView[]> {
    const rows: (Record<string, unknown> & { subject: FindingSubject })[] = await this.db.query(
      `SELECT f.id, f.cooperative_id, f.auditor_id, u.display_name AS auditor_name, f.title, f.body, f.subject, f.status,
              f.answer, f.answered_at, f.closing_note, f.closed_at, f.created_at
         FROM findings f LEFT JOIN users u ON u.id = f.auditor_id
        WHERE ${where}
        ORDER BY CASE f.status WHEN 'open' THEN 0 WHEN 'answered' THEN 1 ELSE 2 END, f.created_at DESC`,
      params,
    );
    const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
    return rows.map((r) => ({
      id: r['id'] as string,
      cooperativeId: r['cooperative_id'] as string,
      auditorId: r['auditor_id'] as string,
      auditorName: (r['auditor_name'] as string | null) ?? null,
      title: r['title'] as string,
      body: r['body'] as string,
      subject: { type: r.subject?.type ?? 'other', ref: r.subject?.ref ?? '' },
      status: r['status'] as FindingView['status'],
      answer: (r['answer'] as string | null) ?? null,
      answeredAt: iso(r['answered_at']),
      closingNote: (r['closing_note'] as string | null) ?? null,
      closedAt: iso(r['closed_at']),
      createdAt: iso(r['created_at']) as string,
    }));
  }
}
