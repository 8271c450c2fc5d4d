import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Role } from '@xiangbo/contracts';
import { hashPassword } from '../auth/passwords';
import { ConsoleProductsService } from '../catalog/console-products.service';
import { LotsService } from '../catalog/lots.service';
import { CooperativesService } from '../cooperatives/cooperatives.service';
import { MembersService } from '../cooperatives/members.service';
import { HouseholdsService } from '../households/households.service';
import { PoliciesService } from '../ledger/policies.service';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { seedDemoCatalog } from './demo-catalog';
import { seedLiveDemo } from '../live/live-demo';
import { seedDemoLedger } from './demo-ledger';
import { seedDemoGroupBuy } from './demo-group-buy';
import { seedDemoCoupons } from '../coupons/demo-coupons';
import { seedDemoPresale } from './demo-presale';
import { seedDemoAfterSalesAndMessages } from '../after-sales/demo-after-sales';

export const DEMO_PASSWORD = 'Xiangbo-demo-2026';

export interface DemoAccount {
  email: string;
  displayName: string;
  roles: string[];
}

export const DEMO_ACCOUNTS: { email: string; displayName: string; roles: Role[] }[] = [
  { email: 'admin@xiangbo.demo', displayName: '平台管理员 小周', roles: ['buyer', 'platform_admin'] },
  { email: 'buyer@xiangbo.demo', displayName: '买家 陈静', roles: ['buyer'] },
];

/** Idempotent: running it on every start creates what is missing and changes nothing else. */
export async function seedDemo(app: INestApplication): Promise<DemoAccount[]> {
  const db = app.get(DataSource);
  const users = app.get(UsersService);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  let platformAdminId = '';
  await db.transaction(async (m) => {
    for (const a of DEMO_ACCOUNTS) {
      let user = await m.getRepository(User).findOne({ where: { email: a.email } });
      user ??= await m
        .getRepository(User)
        .save(m.getRepository(User).create({ email: a.email, mobile: null, passwordHash, displayName: a.displayName }));
      for (const role of a.roles) await users.grant(m, user.id, role, null, null);
      if (a.roles.includes('platform_admin')) platformAdminId = user.id;
    }
  });
  const coopAccounts = await seedDemoCatalog(
    {
      db,
      users,
      cooperatives: app.get(CooperativesService),
      members: app.get(MembersService),
      households: app.get(HouseholdsService),
      products: app.get(ConsoleProductsService),
      lots: app.get(LotsService),
      policies: app.get(PoliciesService),
    },
    platformAdminId,
    passwordHash,
  );
  await seedLiveDemo(app);
  // a season of money history for 金米村, through the real order, payment and settlement services
  await seedDemoLedger(app);
  // one group-buy product (拼团)
  await seedDemoGroupBuy(app);
  // one show with a live coupon (直播间专享券)
  await seedDemoCoupons(app);
  // one pre-sale (预售) with its households' promises
  await seedDemoPresale(app);
  // the cooperatives' promises (服务保障) and one answered 客服 conversation of the demo buyer
  await seedDemoAfterSalesAndMessages(app);
  return [...DEMO_ACCOUNTS, ...coopAccounts];
}
