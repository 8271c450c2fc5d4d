import { randomUUID } from 'node:crypto';
import { accountCode } from '@xiangbo/domain';
import type { TestApp } from '../../../test/test-app';
import { Membership } from '../../cooperatives/entities/membership.entity';
import { Household } from '../../households/entities/household.entity';
import { HouseholdStatusEvent } from '../../households/entities/household-status-event.entity';
import { testIdNumber } from '../../households/households.test-helpers';
import { IdNumberHasher } from '../../households/id-number-hasher';
import { PersonalDataCipher } from '../../households/personal-data-cipher';
import { LogSinkSmsProvider, SinkMessage } from '../../sms/log-sink-sms.provider';
import { SMS_PROVIDER } from '../../sms/sms-provider';
import { LedgerService } from '../../ledger/ledger.service';

/**
 * Payables produced without the settlement code: a buyer's payment into the cooperative's clearing account,
 * then a settlement-like transaction crediting household payables (the rest to retained earnings), both
 * through LedgerService.append like every ledger write.
 */
export async function creditHouseholds(
  t: TestApp,
  cooperativeId: string,
  amounts: Record<string, number>,
  options: { kind?: 'settlement' | 'dividend'; retainedFen?: number } = {},
): Promise<void> {
  const ledger = t.app.get(LedgerService);
  const kind = options.kind ?? 'settlement';
  const retained = options.retainedFen ?? 100;
  const households = Object.entries(amounts);
  const total = households.reduce((s, [, v]) => s + v, 0) + retained;
  const orderId = randomUUID();
  await t.db.transaction(async (m) => {
    if (kind === 'settlement') {
      await ledger.append(m, {
        cooperativeId,
        idempotencyKey: `pay:order:${orderId}`,
        kind: 'payment',
        reference: { orderId },
        postings: [
          { account: accountCode.pspReceivable(), amount: total },
          { account: accountCode.clearing(cooperativeId), amount: -total },
        ],
      });
    }
    const from = kind === 'settlement' ? accountCode.clearing(cooperativeId) : accountCode.dividendPool(cooperativeId);
    await ledger.append(m, {
      cooperativeId,
      idempotencyKey: `${kind === 'settlement' ? 'settle:order' : 'dividend:test'}:${orderId}`,
      kind,
      reference: { orderId, test: true },
      postings: [
        { account: from, amount: total },
        ...households.map(([hid, fen]) => ({
          account: accountCode.householdPayable(cooperativeId, hid),
          amount: -fen,
        })),
        { account: accountCode.retained(cooperativeId), amount: -retained },
      ],
    });
  });
}

export async function addMember(
  t: TestApp,
  cooperativeId: string,
  householdId: string,
  shareUnits = 10,
): Promise<void> {
  await t.db.getRepository(Membership).insert({
    cooperativeId,
    householdId,
    shareUnits,
    joinedAt: '2024-01-01',
    createdBy: randomUUID(),
  });
}

/** −balance of the household's payable account: what the cooperative still owes it. */
export async function owed(t: TestApp, cooperativeId: string, householdId: string): Promise<number> {
  return (
    0 - (await t.app.get(LedgerService).balance(undefined, accountCode.householdPayable(cooperativeId, householdId)))
  );
}

let phoneCounter = 0;
/** A mobile number unique within the test run. */
export function testPhone(): string {
  return `139${String(process.pid % 10_000).padStart(4, '0')}${String(++phoneCounter).padStart(4, '0')}`;
}

/**
 * A registry household as the registry would create it (hashed ID, status event, phone encrypted); ID numbers
 * and phones unique per file. `phone: null` for a household without a phone (its payouts are attested).
 */
export async function insertHousehold(
  t: TestApp,
  fields: { headName?: string; village?: string; phone?: string | null } = {},
) {
  const phone = fields.phone === undefined ? testPhone() : fields.phone;
  const cipher = t.app.get(PersonalDataCipher);
  const p = t.app.get(IdNumberHasher).protect(testIdNumber());
  if ('error' in p) throw new Error(`fixture ID number invalid: ${p.error}`);
  const createdBy = randomUUID();
  const household = await t.db.transaction(async (m) => {
    const h = await m.getRepository(Household).save(
      m.getRepository(Household).create({
        headName: fields.headName ?? '王小明',
        idNumberHash: p.hash,
        idNumberMasked: p.masked,
        province: '陕西省',
        city: '商洛市',
        county: '柞水县',
        township: '小岭镇',
        village: fields.village ?? '金米村',
        householdSize: 4,
        povertyCauses: ['illness'],
        status: 'registered',
        phoneEncrypted: phone ? cipher.encrypt(phone) : null,
        phoneMasked: phone ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : null,
        createdBy,
      }),
    );
    await m.getRepository(HouseholdStatusEvent).save(
      m.getRepository(HouseholdStatusEvent).create({
        householdId: h.id,
        status: 'registered',
        effectiveDate: '2020-01-01',
        reason: '建档',
        recordedBy: createdBy,
      }),
    );
    return h;
  });
  return { household, phone };
}

/** The SMS stand-in (SMS_PROVIDER is `log` in tests). */
export function smsSink(t: TestApp): LogSinkSmsProvider {
  const sink = t.app.get(SMS_PROVIDER);
  if (!(sink instanceof LogSinkSmsProvider)) throw new Error('tests expect the log SMS stand-in');
  return sink;
}

/** What the household's phone received for a payout: the message, its code and the link's token. */
export function smsForPayout(t: TestApp, payoutId: string): SinkMessage & { token: string } {
  const msg = smsSink(t)
    .list()
    .find((x) => x.key === `payout-confirm:${payoutId}`);
  if (!msg) throw new Error(`no SMS was sent for payout ${payoutId}`);
  const token = /\/h\/([A-Za-z0-9_-]{43})/.exec(msg.text)?.[1];
  if (!token) throw new Error(`the SMS for payout ${payoutId} carries no link: ${msg.text}`);
  return { ...msg, token };
}
