import type { DataSource } from 'typeorm';
import type { RegistryStatus } from '@xiangbo/contracts';
import type { SharingPolicyVersion } from '../ledger/entities/sharing-policy.entity';
import { ShowImpactService } from './show-impact';
import type { MemberRow, PaidLineRow, ShowImpactRepository, SupplyRow } from './show-impact.repository';

const HOUR = 3600_000;
/** 10 % platform fee, half of the net to the supplying households, 20 % dividend, equal weights. */
const policy = (over: Partial<SharingPolicyVersion> = {}) =>
  ({
    version: 1,
    platformFeeBp: 1000,
    purchaseKind: 'percent',
    purchaseBp: 5000,
    purchaseFenPerUnit: 0,
    dividendBp: 2000,
    wagesBp: 0,
    weightRegistered: 100,
    weightMonitored: 100,
    weightLifted: 100,
    weightNone: 100,
    couponCarrier: 'cooperative',
    effectiveFrom: new Date(Date.now() - HOUR),
    ...over,
  }) as SharingPolicyVersion;

const supply = (household_id: string, quantity: number, status: RegistryStatus): SupplyRow => ({
  product_id: 'p1',
  household_id,
  quantity,
  status,
});
const member = (household_id: string, share_units: number, status: RegistryStatus): MemberRow => ({
  household_id,
  share_units,
  status,
});

/** 本场助农 with its reads replaced by an in-memory double (no database); the domain rules are the real ones. */
function setup(
  opts: {
    coop?: string | null;
    versions?: SharingPolicyVersion[];
    lines?: PaidLineRow[];
    supplies?: SupplyRow[];
    members?: MemberRow[];
  } = {},
) {
  const repo = {
    cooperativeOf: jest.fn(async () => (opts.coop === undefined ? 'coop-1' : opts.coop)),
    policyVersions: jest.fn(async () => opts.versions ?? [policy()]),
    paidLines: jest.fn(async () => opts.lines ?? [{ product_id: 'p1', quantity: 2, line_total_fen: '10000' }]),
    supplies: jest.fn(async () => opts.supplies ?? [supply('h1', 3, 'registered'), supply('h2', 1, 'lifted')]),
    members: jest.fn(
      async () =>
        opts.members ?? [member('h1', 1, 'registered'), member('h3', 1, 'monitored'), member('h4', 2, 'none')],
    ),
  };
  const service = new ShowImpactService(
    { manager: { tag: 'db' } } as unknown as DataSource,
    repo as unknown as ShowImpactRepository,
  );
  return { service, repo };
}

describe('ShowImpactService (unit, no database)', () => {
  it('counts the purchase and dividend shares of registered and monitored households only', async () => {
    const t = setup();
    // net 9000: purchase 4500 → h1 3375 (3 of 4 units), h2 1125 (lifted: not counted);
    // dividend 1800 by share units → h1 450, h3 450, h4 900 (none: not counted)
    expect(await t.service.of('show-1')).toEqual({ householdsFen: 3825 + 450, households: 2, paidFen: 10000 });
    expect(t.repo.supplies).toHaveBeenCalledWith({ tag: 'db' }, ['p1']);
    expect(t.repo.members).toHaveBeenCalledWith({ tag: 'db' }, 'coop-1');
  });

  it('no dividend in the policy: the members are not read', async () => {
    const t = setup({ versions: [policy({ dividendBp: 0 })] });
    expect(await t.service.of('show-1')).toEqual({ householdsFen: 3375, households: 1, paidFen: 10000 });
    expect(t.repo.members).not.toHaveBeenCalled();
  });

  it('the policy in force now, not a later one', async () => {
    const later = policy({ version: 2, purchaseBp: 0, dividendBp: 0, effectiveFrom: new Date(Date.now() + HOUR) });
    const t = setup({ versions: [policy({ dividendBp: 0 }), later] });
    expect((await t.service.of('show-1'))?.householdsFen).toBe(3375);
  });

  it('no show, or no policy in force: null; no paid sales: zeros, nothing else read', async () => {
    expect(await setup({ coop: null }).service.of('gone')).toBeNull();
    expect(await setup({ versions: [] }).service.of('show-1')).toBeNull();
    const future = setup({ versions: [policy({ effectiveFrom: new Date(Date.now() + HOUR) })] });
    expect(await future.service.of('show-1')).toBeNull();
    const none = setup({ lines: [] });
    expect(await none.service.of('show-1')).toEqual({ householdsFen: 0, households: 0, paidFen: 0 });
    expect(none.repo.supplies).not.toHaveBeenCalled();
  });

  it('joins reuse a recent figure; fresh computes again', async () => {
    const t = setup();
    await t.service.of('show-1');
    await t.service.of('show-1');
    expect(t.repo.paidLines).toHaveBeenCalledTimes(1);
    await t.service.of('show-1', true);
    expect(t.repo.paidLines).toHaveBeenCalledTimes(2);
    await t.service.of('show-2');
    expect(t.repo.paidLines).toHaveBeenCalledTimes(3);
  });
});
