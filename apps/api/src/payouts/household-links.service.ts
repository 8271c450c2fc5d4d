import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { ConfirmByCodeRequest, ConfirmPayoutResponse, HouseholdLinkView } from '@xiangbo/contracts';
import { maskName } from '@xiangbo/domain';
import { RateLimiterService } from '../auth/rate-limiter.service';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Cooperative } from '../cooperatives/entities/cooperative.entity';
import { Household } from '../households/entities/household.entity';
import { Payout } from '../ledger/entities/payout.entity';
import { hashConfirmCode, hashConfirmToken, isConfirmTokenShape, sameHash } from './payout-secrets';
import { PayoutErrorCode, PayoutException } from './payouts.exception';
import { StatementsService } from './statements.service';

/** Attempts at a payout's 6-digit code (per payout, and per caller IP) within the window before 429. */
export const CODE_MAX_ATTEMPTS_PER_PAYOUT = 5;
export const CODE_MAX_ATTEMPTS_PER_IP = 30;
export const CODE_WINDOW_SECONDS = 3600;

/**
 * The household's side, without an account. The SMS sent to the phone in the platform's registry carries the
 * link (`/h/<token>`) and the 6-digit code: the link shows the payout and the statement (masked name only);
 * receipt is confirmed only with the code (on that page, or on /h/code with the payout number), rate limited so
 * it cannot be guessed. Neither secret is ever answered to anyone, so the cooperative cannot confirm for the
 * household.
 */
@Injectable()
export class HouseholdLinksService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly statements: StatementsService,
    private readonly limiter: RateLimiterService,
  ) {}

  private async byToken(m: EntityManager, token: string): Promise<Payout> {
    const payout = isConfirmTokenShape(token)
      ? await m.getRepository(Payout).findOne({ where: { confirmTokenHash: hashConfirmToken(token) } })
      : null;
    if (!payout) throw new PayoutException(PayoutErrorCode.LINK_NOT_FOUND, 'this link is not valid');
    return payout;
  }

  async view(token: string): Promise<HouseholdLinkView> {
    const m = this.db.manager;
    const payout = await this.byToken(m, token);
    const [coop, household] = await Promise.all([
      m.getRepository(Cooperative).findOneOrFail({ where: { id: payout.cooperativeId } }),
      m.getRepository(Household).findOneOrFail({ where: { id: payout.householdId } }),
    ]);
    return {
      householdNameMasked: maskName(household.headName),
      cooperative: { id: coop.id, name: coop.name },
      payout: {
        id: payout.id,
        amountFen: payout.amountFen,
        channel: payout.channel,
        paidOn: payout.paidOn,
        status: payout.status,
        confirmedAt: payout.confirmedAt ? payout.confirmedAt.toISOString() : null,
        confirmMethod: payout.confirmMethod,
      },
      statement: await this.statements.statement(payout.cooperativeId, payout.householdId, false, m),
    };
  }

  /** The link's page: the code of the same SMS is still needed (the link alone confirms nothing). */
  async confirmByToken(token: string, code: string, ip: string): Promise<ConfirmPayoutResponse> {
    const payout = await this.byToken(this.db.manager, token);
    return this.confirmByCode({ payoutId: payout.id, code }, ip);
  }

  /**
   * Every attempt counts against the payout and the caller's IP; a right code resets the payout's count.
   * Unknown payouts answer exactly like a wrong code, so the route tells nothing about which ids exist.
   */
  async confirmByCode(body: ConfirmByCodeRequest, ip: string): Promise<ConfirmPayoutResponse> {
    const perPayout = await this.limiter.hit(`payout-code:${body.payoutId}`, CODE_WINDOW_SECONDS);
    const perIp = await this.limiter.hit(`payout-code-ip:${ip}`, CODE_WINDOW_SECONDS);
    if (perPayout.hits > CODE_MAX_ATTEMPTS_PER_PAYOUT || perIp.hits > CODE_MAX_ATTEMPTS_PER_IP) {
      const retryAfter = Math.max(
        perPayout.hits > CODE_MAX_ATTEMPTS_PER_PAYOUT ? perPayout.retryAfter : 0,
        perIp.hits > CODE_MAX_ATTEMPTS_PER_IP ? perIp.retryAfter : 0,
      );
      throw new PayoutException(
        PayoutErrorCode.RATE_LIMITED,
        `too many attempts; try again in ${retryAfter} seconds or open the link you received`,
        { retryAfter },
        { 'Retry-After': String(retryAfter) },
      );
    }
    const payout = await this.db.getRepository(Payout).findOne({ where: { id: body.payoutId } });
    const expected = payout?.confirmCodeHash;
    const given = hashConfirmCode(this.config.PERSONAL_DATA_KEY, body.payoutId, body.code);
    if (!payout || !expected || !sameHash(expected, given)) {
      throw new PayoutException(PayoutErrorCode.WRONG_CODE, 'the payout number or the code is not right', {
        attemptsLeft: Math.max(0, CODE_MAX_ATTEMPTS_PER_PAYOUT - perPayout.hits),
      });
    }
    await this.limiter.reset(`payout-code:${body.payoutId}`);
    return this.confirm(payout.id);
  }

  /** Sets confirmed_at once; a second confirmation changes nothing and says so. */
  private async confirm(payoutId: string): Promise<ConfirmPayoutResponse> {
    return this.db.transaction(async (m) => {
      const updated: [{ confirmed_at: Date }[], number] = await m.query(
        `UPDATE payouts SET status = 'confirmed', confirmed_at = now(), confirm_method = 'sms'
          WHERE id = $1 AND status = 'paid' AND confirmed_at IS NULL RETURNING confirmed_at`,
        [payoutId],
      );
      const rows = updated[0];
      if (rows.length) {
        return { payoutId, confirmedAt: new Date(rows[0].confirmed_at).toISOString(), alreadyConfirmed: false };
      }
      const payout = await m.getRepository(Payout).findOneOrFail({ where: { id: payoutId } });
      if (!payout.confirmedAt) throw new PayoutException(PayoutErrorCode.LINK_NOT_FOUND, 'this link is not valid');
      return { payoutId, confirmedAt: payout.confirmedAt.toISOString(), alreadyConfirmed: true };
    });
  }
}
