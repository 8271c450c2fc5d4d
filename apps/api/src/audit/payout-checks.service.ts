import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomInt } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type {
  AttestationView,
  CallbackContact,
  CallbackSampleView,
  PayoutToAttest,
  RecordCallbackRequest,
} from '@xiangbo/contracts';
import { recordCallbackSchema } from '@xiangbo/contracts';
import { fenToYuanString, maskName } from '@xiangbo/domain';
import type { Principal } from '../auth/principal';
import { isUuid } from '../common/cooperative-scope';
import { PersonalDataAccessService } from '../households/personal-data-access.service';
import { PersonalDataCipher } from '../households/personal-data-cipher';
import { Finding } from '../ledger/entities/finding.entity';
import { Payout } from '../ledger/entities/payout.entity';
import { AuditErrorCode, AuditException } from './audit.exception';
import { CallbackCheck, CallbackSample } from './entities/callback-check.entity';
import { assertAuditorOf } from './findings.service';

/** An auditor who is also the cooperative's admin or host would be checking their own payouts. */
function assertIndependent(p: Principal, cooperativeId: string): void {
  if (p.hasFor(cooperativeId, 'coop_admin', 'host')) {
    throw new AuditException(
      AuditErrorCode.CONFLICT_OF_INTEREST,
      'staff of the cooperative cannot attest or check its payouts, even as its auditor',
    );
  }
}

/** Fisher–Yates over the first `k` positions with crypto randomness: a uniform sample without replacement. */
export function drawSample<T>(items: readonly T[], k: number, rand: (n: number) => number = randomInt): T[] {
  const a = [...items];
  const n = Math.min(k, a.length);
  for (let i = 0; i < n; i++) {
    const j = i + rand(a.length - i);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, n);
}

/**
 * The household's confirmation where the cooperative cannot give it: an assigned auditor (a village supervisor
 * is given the auditor role for the cooperative) attests in person for a household without a phone, and
 * verifies a random sample of confirmed payouts by phone or visit (回访抽查). Everyone else: 404 for a payout or
 * cooperative they are not assigned to; 403 for an auditor who is also the cooperative's staff.
 */
@Injectable()
export class PayoutChecksService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly accessLog: PersonalDataAccessService,
    private readonly cipher: PersonalDataCipher,
  ) {}

  // ---------- attest (现场确认) ----------

  /** Paid payouts still unconfirmed, the attest route first; clear names, each one access-logged. */
  async toAttest(p: Principal, cooperativeId: string): Promise<PayoutToAttest[]> {
    assertAuditorOf(p, cooperativeId);
    return this.db.transaction(async (m) => {
      const rows: {
        id: string;
        household_id: string;
        head_name: string;
        id_number_masked: string;
        village: string;
        amount_fen: string;
        channel: PayoutToAttest['channel'];
        reference: string | null;
        paid_on: string | null;
        confirm_route: PayoutToAttest['confirmRoute'];
        sms_to_masked: string | null;
      }[] = await m.query(
        `SELECT p.id, p.household_id, h.head_name, h.id_number_masked, h.village, p.amount_fen, p.channel, p.reference,
                to_char(p.paid_on, 'YYYY-MM-DD') AS paid_on, p.confirm_route, p.sms_to_masked
           FROM payouts p JOIN households h ON h.id = p.household_id
          WHERE p.cooperative_id = $1 AND p.status = 'paid'
          ORDER BY (p.confirm_route = 'attest') DESC, p.paid_on, p.id
          LIMIT 500`,
        [cooperativeId],
      );
      for (const r of rows) {
        await this.accessLog.record(m, {
          actorId: p.userId,
          actorRole: 'auditor',
          householdId: r.household_id,
          action: 'payout.attest.list',
          detail: `payouts to attest of cooperative ${cooperativeId} (payout ${r.id})`,
        });
      }
      return rows.map((r) => ({
        id: r.id,
        householdId: r.household_id,
        headName: r.head_name,
        idNumberMasked: r.id_number_masked,
        village: r.village,
        amountFen: Number(r.amount_fen),
        channel: r.channel,
        reference: r.reference,
        paidOn: r.paid_on,
        confirmRoute: r.confirm_route,
        smsToMasked: r.sms_to_masked,
      }));
    });
  }

  /** The auditor attests that the household confirmed receipt in front of them: method `attested`, who, when, note. */
  async attest(p: Principal, payoutId: string, note: string): Promise<AttestationView> {
    return this.db.transaction(async (m) => {
      const payout = await this.lockPayout(m, payoutId);
      if (!payout || !p.hasFor(payout.cooperativeId, 'auditor')) {
        throw new AuditException(AuditErrorCode.PAYOUT_NOT_FOUND, 'payout not found');
      }
      assertIndependent(p, payout.cooperativeId);
      if (payout.status !== 'paid') {
        throw new AuditException(
          AuditErrorCode.PAYOUT_NOT_ATTESTABLE,
          payout.status === 'planned' ? 'this payout has not been paid yet' : 'this payout is already confirmed',
          { status: payout.status, confirmMethod: payout.confirmMethod },
        );
      }
      const confirmedAt = new Date();
      await m.getRepository(Payout).update(payout.id, {
        status: 'confirmed',
        confirmedAt,
        confirmMethod: 'attested',
        attestedBy: p.userId,
        attestNote: note,
        // The SMS secrets, if any, confirm nothing more.
        confirmCodeHash: null,
      });
      return {
        payoutId: payout.id,
        confirmedAt: confirmedAt.toISOString(),
        confirmMethod: 'attested',
        attestedBy: p.userId,
        note,
      };
    });
  }

  // ---------- call-back checks (回访抽查) ----------

  /** Draws `size` of the cooperative's confirmed payouts uniformly at random (server-side) and records the draw. */
  async drawSample(p: Principal, cooperativeId: string, size: number): Promise<CallbackSampleView> {
    assertAuditorOf(p, cooperativeId);
    assertIndependent(p, cooperativeId);
    const sampleId = await this.db.transaction(async (m) => {
      const population: { id: string }[] = await m.query(
        `SELECT id FROM payouts WHERE cooperative_id = $1 AND status = 'confirmed' ORDER BY id`,
        [cooperativeId],
      );
      if (!population.length) {
        throw new AuditException(AuditErrorCode.NOTHING_TO_SAMPLE, 'this cooperative has no confirmed payouts yet');
      }
      const sample = await m.getRepository(CallbackSample).save(
        m.getRepository(CallbackSample).create({
          cooperativeId,
          auditorId: p.userId,
          requestedSize: size,
          population: population.length,
        }),
      );
      const drawn = drawSample(
        population.map((r) => r.id),
        size,
      );
      await m
        .getRepository(CallbackCheck)
        .insert(drawn.map((payoutId, i) => ({ sampleId: sample.id, cooperativeId, payoutId, position: i + 1 })));
      return sample.id;
    });
    const [view] = await this.samples('s.id = $1', [sampleId]);
    return view;
  }

  async listSamples(p: Principal, cooperativeId: string): Promise<CallbackSampleView[]> {
    assertAuditorOf(p, cooperativeId);
    return this.samples('s.cooperative_id = $1', [cooperativeId]);
  }

  /** The registry phone in full and the clear name, to call or visit one drawn household (access-logged). */
  async contact(p: Principal, checkId: string): Promise<CallbackContact> {
    return this.db.transaction(async (m) => {
      const check = await this.findCheck(m, p, checkId);
      const [h]: { id: string; head_name: string; village: string; phone_encrypted: string | null }[] = await m.query(
        `SELECT h.id, h.head_name, h.village, h.phone_encrypted FROM payouts p JOIN households h ON h.id = p.household_id
          WHERE p.id = $1`,
        [check.payoutId],
      );
      await this.accessLog.record(m, {
        actorId: p.userId,
        actorRole: 'auditor',
        householdId: h.id,
        action: 'household.phone.read',
        detail: `call-back check ${check.id} (payout ${check.payoutId})`,
      });
      return {
        checkId: check.id,
        householdId: h.id,
        headName: h.head_name,
        village: h.village,
        phone: h.phone_encrypted ? this.cipher.decrypt(h.phone_encrypted) : null,
      };
    });
  }

  /** Records the outcome once; `disputed` raises a finding about the payout in the same transaction. */
  async recordOutcome(p: Principal, checkId: string, input: RecordCallbackRequest): Promise<CallbackSampleView> {
    const body = recordCallbackSchema.parse(input);
    const sampleId = await this.db.transaction(async (m) => {
      const check = await this.findCheck(m, p, checkId, true);
      assertIndependent(p, check.cooperativeId);
      if (check.outcome !== 'pending') {
        throw new AuditException(AuditErrorCode.CHECK_ALREADY_RECORDED, 'the outcome of this check is recorded', {
          outcome: check.outcome,
        });
      }
      let findingId: string | null = null;
      if (body.outcome === 'disputed') {
        const payout = await m.getRepository(Payout).findOneOrFail({ where: { id: check.payoutId } });
        const [h]: { head_name: string }[] = await m.query(`SELECT head_name FROM households WHERE id = $1`, [
          payout.householdId,
        ]);
        const finding = await m.getRepository(Finding).save(
          m.getRepository(Finding).create({
            cooperativeId: check.cooperativeId,
            auditorId: p.userId,
            title: `回访抽查：${maskName(h?.head_name ?? '')} 否认收到兑付 ¥${fenToYuanString(payout.amountFen)}`,
            body: [
              `回访方式：${body.via === 'phone' ? '电话' : '上门'}`,
              `兑付 ${payout.id}，付款日 ${payout.paidOn ?? '-'}，确认方式 ${payout.confirmMethod ?? '-'}`,
              body.note ? `回访记录：${body.note}` : '',
            ]
              .filter(Boolean)
              .join('\n'),
            subject: { type: 'payout', ref: payout.id },
            status: 'open',
          }),
        );
        findingId = finding.id;
      }
      await m.getRepository(CallbackCheck).update(check.id, {
        outcome: body.outcome,
        via: body.via,
        note: body.note,
        checkedBy: p.userId,
        checkedAt: new Date(),
        findingId,
      });
      return check.sampleId;
    });
    const [view] = await this.samples('s.id = $1', [sampleId]);
    return view;
  }

  private async findCheck(m: EntityManager, p: Principal, checkId: string, lock = false): Promise<CallbackCheck> {
    const qb = m.getRepository(CallbackCheck).createQueryBuilder('c').where('c.id = :id', { id: checkId });
    if (lock) qb.setLock('pessimistic_write');
    const check = isUuid(checkId) ? await qb.getOne() : null;
    if (!check || !p.hasFor(check.cooperativeId, 'auditor')) {
      throw new AuditException(AuditErrorCode.CHECK_NOT_FOUND, 'call-back check not found');
    }
    return check;
  }

  private lockPayout(m: EntityManager, id: string): Promise<Payout | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return m
      .getRepository(Payout)
      .createQueryBuilder('p')
      .setLock('pessimistic_write')
      .where('p.id = :id', { id })
      .getOne();
  }

  private async samples(where: string, params: unknown[]): Promise<CallbackSampleView[]> {
    const samples: {
      id: string;
      cooperative_id: string;
      auditor_id: string;
      auditor_name: string | null;
      requested_size: number;
      population: number;
      drawn_at: Date;
    }[] = await this.db.query(
      `SELECT s.id, s.cooperative_id, s.auditor_id, u.display_name AS auditor_name, s.requested_size, s.population, s.drawn_at
         FROM payout_callback_samples s LEFT JOIN users u ON u.id = s.auditor_id
        WHERE ${where} ORDER BY s.drawn_at DESC LIMIT 100`,
      params,
    );
    if (!samples.length) return [];
    const checks: {
      id: string;
      sample_id: string;
      payout_id: string;
      household_id: string;
      head_name: string;
      village: string;
      amount_fen: string;
      paid_on: string | null;
      confirm_method: CallbackSampleView['checks'][number]['confirmMethod'];
      confirmed_at: Date | null;
      outcome: CallbackSampleView['checks'][number]['outcome'];
      via: CallbackSampleView['checks'][number]['via'];
      note: string;
      checked_by: string | null;
      checked_at: Date | null;
      finding_id: string | null;
    }[] = await this.db.query(
      `SELECT c.id, c.sample_id, c.payout_id, p.household_id, h.head_name, h.village, p.amount_fen,
              to_char(p.paid_on, 'YYYY-MM-DD') AS paid_on, p.confirm_method, p.confirmed_at,
              c.outcome, c.via, c.note, c.checked_by, c.checked_at, c.finding_id
         FROM payout_callback_checks c JOIN payouts p ON p.id = c.payout_id JOIN households h ON h.id = p.household_id
        WHERE c.sample_id = ANY($1::uuid[]) ORDER BY c.position`,
      [samples.map((s) => s.id)],
    );
    const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
    return samples.map((s) => {
      const mine = checks.filter((c) => c.sample_id === s.id);
      return {
        id: s.id,
        cooperativeId: s.cooperative_id,
        auditorId: s.auditor_id,
        auditorName: s.auditor_name,
        requestedSize: s.requested_size,
        population: s.population,
        drawn: mine.length,
        drawnAt: new Date(s.drawn_at).toISOString(),
        checks: mine.map((c) => ({
          id: c.id,
          payoutId: c.payout_id,
          householdId: c.household_id,
          householdNameMasked: maskName(c.head_name),
          village: c.village,
          amountFen: Number(c.amount_fen),
          paidOn: c.paid_on,
          confirmMethod: c.confirm_method,
          confirmedAt: iso(c.confirmed_at),
          outcome: c.outcome,
          via: c.via,
          note: c.note,
          checkedBy: c.checked_by,
          checkedAt: iso(c.checked_at),
          findingId: c.finding_id,
        })),
      };
    });
  }
}
