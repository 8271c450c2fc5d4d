/**
 * Demo cooperatives from our source material (real places, fictional people): each with its admin and host,
 * registry households (some registered 建档立卡, some monitored 防返贫监测), members, products with illustrated
 * photos, and lots supplied by member households. Built through the same services the API uses, so every
 * invariant (ID hashing, status history, search index, lot sums) holds. Idempotent: a cooperative whose USCC
 * exists is left alone.
 */
import type { PovertyCause, ProductCategory, ProductUnit, RegistryStatus } from '@xiangbo/contracts';
import {
  createHouseholdRequestSchema,
  createLotSchema,
  createProductSchema,
  linkMemberSchema,
  sharingPolicyInputSchema,
} from '@xiangbo/contracts';
import { generateUscc, idNumberCheckChar } from '@xiangbo/domain';
import sharp from 'sharp';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { ConsoleProductsService } from '../catalog/console-products.service';
import { LotsService } from '../catalog/lots.service';
import { CooperativesService } from '../cooperatives/cooperatives.service';
import { MembersService } from '../cooperatives/members.service';
import { HouseholdsService } from '../households/households.service';
import { PoliciesService } from '../ledger/policies.service';
import { UsersService } from '../users/users.service';

export interface DemoHousehold {
  name: string;
  size: number;
  status: RegistryStatus;
  causes: PovertyCause[];
  shares: number;
}

export interface DemoProduct {
  nameZh: string;
  nameEn: string;
  category: ProductCategory;
  unit: ProductUnit;
  priceFen: number;
  stock: number;
  shelfLifeDays: number | null;
  storage: string;
  description: string;
  art: { bg: string; fg: string; shape: 'fungi' | 'chili' | 'herb' | 'potato' | 'embroidery' | 'egg' | 'mushroom' };
  lot: { code: string; harvestDate: string; perHousehold: number };
}

export interface DemoCooperative {
  seed: number;
  division: string;
  name: string;
  province: string;
  city: string;
  county: string;
  township: string;
  village: string;
  story: string;
  admin: { email: string; name: string };
  host: { email: string; name: string };
  /** Area code used to make the demo ID numbers (valid checksums, fictional people). */
  idArea: string;
  households: DemoHousehold[];
  products: DemoProduct[];
}

const hh = (
  name: string,
  size: number,
  status: RegistryStatus,
  causes: PovertyCause[],
  shares: number,
): DemoHousehold => ({
  name,
  size,
  status,
  causes,
  shares,
});

export const DEMO_COOPERATIVES: DemoCooperative[] = [
  {
    seed: 1,
    division: '611022',
    name: '柞水县金米村木耳专业合作社',
    province: '陕西省',
    city: '商洛市',
    county: '柞水县',
    township: '小岭镇',
    village: '金米村',
    story:
      '金米村地处秦岭南麓，山高林密、昼夜温差大，是小木耳长成“大产业”的地方。合作社统一菌种、统一技术、统一收购，带动村里的建档立卡户在家门口种木耳、进大棚务工。每一笔货款都按利益联结方案分到农户，账目公开可查。',
    admin: { email: 'jinmi.admin@xiangbo.demo', name: '金米村 会计 刘会计' },
    host: { email: 'jinmi.host@xiangbo.demo', name: '金米村 主播 小杨' },
    idArea: '611022',
    households: [
      hh('王建明', 4, 'registered', ['illness'], 10),
      hh('李秀梅', 3, 'registered', ['lack_of_labour'], 8),
      hh('张德福', 5, 'monitored', ['disaster'], 6),
      hh('陈玉兰', 2, 'lifted', ['schooling'], 5),
      hh('赵国强', 4, 'none', [], 12),
    ],
    products: [
      {
        nameZh: '柞水黑木耳 秦岭椴木干货',
        nameEn: 'Zhashui black fungus, dried',
        category: 'fungi',
        unit: 'box',
        priceFen: 5900,
        stock: 300,
        shelfLifeDays: 540,
        storage: '常温干燥处，开封后密封',
        description: '秦岭山区大棚种植，肉厚耳小、泡发率高。每盒 250 克，按批次可追溯到供货农户。',
        art: { bg: '#f3ede4', fg: '#3b2a20', shape: 'fungi' },
        lot: { code: 'JM-2026-09', harvestDate: '2026-09-18', perHousehold: 120 },
      },
      {
        nameZh: '金米村木耳礼盒',
        nameEn: 'Jinmi village fungus gift box',
        category: 'fungi',
        unit: 'case',
        priceFen: 16800,
        stock: 80,
        shelfLifeDays: 540,
        storage: '常温干燥处',
        description: '三种规格木耳组合装，适合送礼。',
        art: { bg: '#efe7dc', fg: '#5a3a28', shape: 'fungi' },
        lot: { code: 'JM-2026-10', harvestDate: '2026-10-08', perHousehold: 30 },
      },
    ],
  },
  {
    seed: 2,
    division: '341225',
    name: '阜南县巩堰村中药材种植专业合作社',
    province: '安徽省',
    city: '阜阳市',
    county: '阜南县',
    township: '公桥乡',
    village: '巩堰村',
    story: '巩堰村种猫爪草、种辣椒，合作社保底收购，让村里的留守老人也能靠地里的收成增收。',
    admin: { email: 'gongyan.admin@xiangbo.demo', name: '巩堰村 理事长 周大姐' },
    host: { email: 'gongyan.host@xiangbo.demo', name: '巩堰村 第一书记 吴书记' },
    idArea: '341225',
    households: [
      hh('孙桂英', 2, 'registered', ['illness', 'lack_of_labour'], 6),
      hh('周小军', 4, 'monitored', ['lack_of_skills'], 6),
      hh('吴春花', 3, 'registered', ['disability'], 5),
      hh('郑大海', 5, 'none', [], 10),
    ],
    products: [
      {
        nameZh: '阜南猫爪草 精选干品',
        nameEn: 'Funan cat-claw buttercup root, dried',
        category: 'herbs',
        unit: 'jin',
        priceFen: 8800,
        stock: 120,
        shelfLifeDays: 720,
        storage: '阴凉干燥处，防潮',
        description: '巩堰村沙土地种植，人工采挖、晾晒。',
        art: { bg: '#eef1e6', fg: '#6b5b2e', shape: 'herb' },
        lot: { code: 'GY-MZC-2026', harvestDate: '2026-06-02', perHousehold: 40 },
      },
      {
        nameZh: '阜南朝天椒 干辣椒',
        nameEn: 'Funan dried chili peppers',
        category: 'dried',
        unit: 'jin',
        priceFen: 2600,
        stock: 400,
        shelfLifeDays: 365,
        storage: '常温干燥处',
        description: '香辣适中，晒足太阳的朝天椒。',
        art: { bg: '#fbeee9', fg: '#c8261b', shape: 'chili' },
        lot: { code: 'GY-LJ-2026', harvestDate: '2026-09-25', perHousehold: 150 },
      },
    ],
  },
  {
    seed: 3,
    division: '361126',
    name: '秦峰镇老坞村菌菇专业合作社',
    province: '江西省',
    city: '上饶市',
    county: '弋阳县',
    township: '秦峰镇',
    village: '老坞村',
    story: '老坞村山林多、湿度好，合作社带着村民种香菇、平菇，鲜菇当天采、当天发。',
    admin: { email: 'laowu.admin@xiangbo.demo', name: '老坞村 会计 钱会计' },
    host: { email: 'laowu.host@xiangbo.demo', name: '老坞村 大学生村官 小林' },
    idArea: '361126',
    households: [
      hh('钱有才', 3, 'registered', ['lack_of_skills'], 5),
      hh('冯淑芬', 4, 'monitored', ['illness'], 5),
      hh('林志高', 4, 'none', [], 8),
    ],
    products: [
      {
        nameZh: '老坞村花菇 椴木香菇干',
        nameEn: 'Laowu village dried shiitake',
        category: 'fungi',
        unit: 'bag',
        priceFen: 6800,
        stock: 150,
        shelfLifeDays: 365,
        storage: '密封避光',
        description: '冬季低温出菇，花纹自然，香味浓。',
        art: { bg: '#f1ece3', fg: '#7a4b2a', shape: 'mushroom' },
        lot: { code: 'LW-2026-11', harvestDate: '2026-11-02', perHousehold: 50 },
      },
    ],
  },
  {
    seed: 4,
    division: '522622',
    name: '谷陇镇苗绣手工艺专业合作社',
    province: '贵州省',
    city: '黔东南苗族侗族自治州',
    county: '黄平县',
    township: '谷陇镇',
    village: '谷陇村',
    story: '谷陇的苗族绣娘在家门口接单刺绣，合作社统一设计、统一销售，一针一线都是收入。',
    admin: { email: 'gulong.admin@xiangbo.demo', name: '谷陇镇 绣坊 杨理事长' },
    host: { email: 'gulong.host@xiangbo.demo', name: '谷陇镇 主播 阿蓉' },
    idArea: '522622',
    households: [
      hh('杨阿妹', 3, 'registered', ['lack_of_labour'], 4),
      hh('龙春燕', 4, 'monitored', ['schooling'], 4),
      hh('吴秀英', 2, 'registered', ['illness'], 4),
    ],
    products: [
      {
        nameZh: '苗绣香包 手工刺绣',
        nameEn: 'Miao embroidered sachet',
        category: 'handicraft',
        unit: 'box',
        priceFen: 12800,
        stock: 60,
        shelfLifeDays: null,
        storage: '避免潮湿',
        description: '绣娘手工刺绣，每只约需两天。',
        art: { bg: '#eef0f8', fg: '#2f3f8f', shape: 'embroidery' },
        lot: { code: 'GL-XB-2026', harvestDate: '2026-10-20', perHousehold: 20 },
      },
      {
        nameZh: '黄平高山土鸡蛋 30 枚',
        nameEn: 'Huangping free-range eggs, 30',
        category: 'poultry_meat',
        unit: 'box',
        priceFen: 6900,
        stock: 100,
        shelfLifeDays: 30,
        storage: '冷藏保存',
        description: '山林散养土鸡，每天捡蛋，顺丰冷链发货。',
        art: { bg: '#fbf6ea', fg: '#c99a4a', shape: 'egg' },
        lot: { code: 'GL-JD-2026-11', harvestDate: '2026-11-15', perHousehold: 40 },
      },
    ],
  },
  {
    seed: 5,
    division: '620725',
    name: '山丹县马铃薯种植专业合作社',
    province: '甘肃省',
    city: '张掖市',
    county: '山丹县',
    township: '清泉镇',
    village: '南湖村',
    story: '河西走廊日照长、昼夜温差大，山丹的马铃薯淀粉足、口感面。合作社保底收购，种植户不愁卖。',
    admin: { email: 'shandan.admin@xiangbo.demo', name: '山丹县 合作社 马会计' },
    host: { email: 'shandan.host@xiangbo.demo', name: '山丹县 主播 小马' },
    idArea: '620725',
    households: [
      hh('马福林', 5, 'registered', ['disaster'], 8),
      hh('何玉珍', 3, 'monitored', ['illness'], 6),
      hh('田志刚', 4, 'lifted', ['lack_of_skills'], 6),
      hh('高建国', 4, 'none', [], 10),
    ],
    products: [
      {
        nameZh: '山丹马铃薯 10 斤装',
        nameEn: 'Shandan potatoes, 5 kg',
        category: 'vegetables',
        unit: 'case',
        priceFen: 3990,
        stock: 500,
        shelfLifeDays: 60,
        storage: '阴凉避光',
        description: '沙壤土种植，个大皮薄，适合炖煮。',
        art: { bg: '#f5efe2', fg: '#a07c45', shape: 'potato' },
        lot: { code: 'SD-2026-10', harvestDate: '2026-10-05', perHousehold: 200 },
      },
    ],
  },
];

/** A simple illustration of the produce (shapes only: no fonts needed), 1200×900 PNG. */
export async function illustration(art: DemoProduct['art'], variant = 0): Promise<Buffer> {
  const shapes: Record<DemoProduct['art']['shape'], string> = {
    fungi: [0, 1, 2, 3, 4]
      .map(
        (i) =>
          `<path d="M${260 + i * 150} ${430 + (i % 2) * 90} q60 -120 130 -20 q40 70 -30 110 q-70 40 -110 -20 q-30 -40 10 -70z" fill="${art.fg}" opacity="${0.75 + (i % 3) * 0.08}"/>`,
      )
      .join(''),
    chili: [0, 1, 2, 3]
      .map(
        (i) =>
          `<path d="M${300 + i * 170} 330 q50 220 -40 340 q-20 20 -10 -20 q60 -140 10 -300z" fill="${art.fg}"/><path d="M${300 + i * 170} 330 l20 -50" stroke="#3d7a2b" stroke-width="16"/>`,
      )
      .join(''),
    herb: [0, 1, 2, 3, 4, 5]
      .map(
        (i) =>
          `<ellipse cx="${280 + i * 120}" cy="${470 + (i % 2) * 60}" rx="38" ry="80" fill="${art.fg}" transform="rotate(${i * 25 - 60} ${280 + i * 120} ${470 + (i % 2) * 60})"/>`,
      )
      .join(''),
    potato: [0, 1, 2]
      .map(
        (i) =>
          `<ellipse cx="${360 + i * 240}" cy="${460 + (i % 2) * 60}" rx="140" ry="105" fill="${art.fg}"/><circle cx="${330 + i * 240}" cy="${430 + (i % 2) * 60}" r="8" fill="#6b4f2a"/>`,
      )
      .join(''),
    embroidery: [0, 1, 2, 3]
      .map(
        (i) =>
          `<rect x="${240 + i * 190}" y="${330 + (i % 2) * 70}" width="140" height="180" rx="24" fill="${art.fg}"/><circle cx="${310 + i * 190}" cy="${420 + (i % 2) * 70}" r="40" fill="#e1251b"/><circle cx="${310 + i * 190}" cy="${420 + (i % 2) * 70}" r="18" fill="#f5c542"/>`,
      )
      .join(''),
    egg: [0, 1, 2, 3, 4]
      .map(
        (i) =>
          `<ellipse cx="${270 + i * 160}" cy="${460 + (i % 2) * 50}" rx="62" ry="84" fill="${art.fg}" opacity="${0.8 + (i % 2) * 0.15}"/>`,
      )
      .join(''),
    mushroom: [0, 1, 2]
      .map(
        (i) =>
          `<path d="M${300 + i * 250} 460 a120 90 0 0 1 240 0z" fill="${art.fg}"/><rect x="${395 + i * 250}" y="455" width="50" height="130" rx="20" fill="#e9dcc6"/>`,
      )
      .join(''),
  };
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900">
    <rect width="1200" height="900" fill="${art.bg}"/>
    <circle cx="${950 - variant * 80}" cy="${170 + variant * 40}" r="110" fill="#ffffff" opacity="0.6"/>
    <rect y="700" width="1200" height="200" fill="#000" opacity="0.04"/>
    <g transform="translate(${variant * -40} ${variant * 20})">${shapes[art.shape]}</g>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** A valid (checksummed) fictional resident ID number, reproducible from area + index. */
export function demoIdNumber(area: string, index: number): string {
  const birth = `19${60 + ((index * 7) % 35)}${String(1 + (index % 12)).padStart(2, '0')}${String(1 + ((index * 3) % 27)).padStart(2, '0')}`;
  const first17 = `${area}${birth}${String(100 + index).slice(-3)}`;
  return first17 + idNumberCheckChar(first17);
}

export interface DemoCatalogServices {
  db: DataSource;
  users: UsersService;
  cooperatives: CooperativesService;
  members: MembersService;
  households: HouseholdsService;
  products: ConsoleProductsService;
  lots: LotsService;
  policies: PoliciesService;
}

async function ensureUser(
  db: DataSource,
  users: UsersService,
  email: string,
  name: string,
  passwordHash: string,
): Promise<string> {
  return db.transaction(async (m: EntityManager) => {
    const [found] = await m.query('SELECT id FROM users WHERE email = $1', [email]);
    if (found) return found.id as string;
    const [row] = await m.query(
      'INSERT INTO users (email, password_hash, display_name) VALUES ($1, $2, $3) RETURNING id',
      [email, passwordHash, name],
    );
    await users.grant(m, row.id, 'buyer', null, null);
    return row.id as string;
  });
}

export const DEMO_AUDITOR = { email: 'auditor@xiangbo.demo', name: '金米村 村务监督员 何监督' };

/** Seeds the demo cooperatives; returns the accounts it made (for the start-up print-out). */
export async function seedDemoCatalog(s: DemoCatalogServices, platformAdminId: string, passwordHash: string) {
  const accounts: { email: string; displayName: string; roles: string[] }[] = [];
  const admin = new Principal(platformAdminId, [{ role: 'platform_admin', cooperativeId: null }]);
  for (const c of DEMO_COOPERATIVES) {
    const adminId = await ensureUser(s.db, s.users, c.admin.email, c.admin.name, passwordHash);
    const hostId = await ensureUser(s.db, s.users, c.host.email, c.host.name, passwordHash);
    accounts.push(
      { email: c.admin.email, displayName: c.admin.name, roles: ['coop_admin'] },
      { email: c.host.email, displayName: c.host.name, roles: ['host'] },
    );
    const uscc = generateUscc(c.seed, { division: c.division });
    const [existing] = await s.db.query('SELECT id FROM cooperatives WHERE uscc = $1', [uscc]);
    if (existing) continue;

    const application = await s.cooperatives.apply(adminId, {
      name: c.name,
      uscc,
      province: c.province,
      city: c.city,
      county: c.county,
      township: c.township,
      village: c.village,
      story: c.story,
      contactName: c.admin.name.split(' ').pop() as string,
      contactPhone: '13900000000',
    });
    await s.cooperatives.approve(platformAdminId, application.id);
    const coopId = application.id;
    await s.db.transaction((m) => s.users.grant(m, hostId, 'host', coopId, adminId));
    if (c.seed === 1) {
      // A village supervisor assigned as this cooperative's auditor: attests payouts, runs call-back checks.
      const auditorId = await ensureUser(s.db, s.users, DEMO_AUDITOR.email, DEMO_AUDITOR.name, passwordHash);
      await s.db.transaction((m) => s.users.grant(m, auditorId, 'auditor', coopId, platformAdminId));
      accounts.push({ email: DEMO_AUDITOR.email, displayName: DEMO_AUDITOR.name, roles: ['auditor'] });
    }
    const coopAdmin = new Principal(adminId, [{ role: 'coop_admin', cooperativeId: coopId }]);
    // 利益联结: 65% of the net line to the supplying households, 7% dividend pool (registered and monitored
    // households weigh 1.5×), 5% wages, the rest retained; the platform's fee is the platform's (PLATFORM_FEE_BP, 3%).
    await s.policies.create(
      coopAdmin,
      coopId,
      sharingPolicyInputSchema.parse({
        purchase: { kind: 'percent', bp: 6500 },
        dividendBp: 700,
        wagesBp: 500,
        dividendWeights: { registered: 150, monitored: 150, lifted: 100, none: 100 },
        note: '初始方案：收购款 65%，分红 7%（建档立卡/监测户 1.5 倍权重），务工 5%',
      }),
    );

    const householdIds: string[] = [];
    for (const [i, h] of c.households.entries()) {
      const idNumber = demoIdNumber(c.idArea, c.seed * 100 + i);
      const existingHousehold = await s.households.findByIdNumber(idNumber);
      const created =
        existingHousehold ??
        (await s.households.create(
          admin,
          createHouseholdRequestSchema.parse({
            headName: h.name,
            idNumber,
            province: c.province,
            city: c.city,
            county: c.county,
            township: c.township,
            village: c.village,
            householdSize: h.size,
            povertyCauses: h.causes,
            status: h.status,
            statusEffectiveDate: h.status === 'lifted' ? '2020-12-01' : '2016-03-01',
            statusReason: h.status === 'none' ? '一般农户' : '乡镇核定',
          }),
        ));
      householdIds.push(created.id);
      // The registry keeps most households' phones (payout codes go there by SMS; outside production the log
      // stand-in receives them); every fourth has none, so its payouts are confirmed by the auditor in person.
      if (!existingHousehold && i % 4 !== 3) {
        await s.households.setPhone(
          admin,
          created.id,
          `1390${String(c.seed).padStart(3, '0')}${String(i).padStart(4, '0')}`,
        );
      }
      await s.members.link(
        coopAdmin,
        coopId,
        linkMemberSchema.parse({
          idNumber,
          shareUnits: h.shares,
          landMuHundredths: 100 + i * 50,
          labourRole: i % 2 ? 'worker' : 'grower',
          joinedAt: '2021-03-01',
        }),
      );
    }

    for (const p of c.products) {
      const product = await s.products.createFor(
        coopId,
        createProductSchema.parse({
          nameZh: p.nameZh,
          nameEn: p.nameEn,
          descriptionZh: p.description,
          category: p.category,
          unit: p.unit,
          priceFen: p.priceFen,
          stock: p.stock,
          shelfLifeDays: p.shelfLifeDays,
          storage: p.storage,
          published: true,
        }),
      );
      for (const variant of [0, 1]) await s.products.addPhotoBytes(product.id, await illustration(p.art, variant));
      const supplying = householdIds.slice(0, Math.max(3, householdIds.length - 1));
      await s.lots.createFor(
        product.id,
        createLotSchema.parse({
          code: p.lot.code,
          harvestDate: p.lot.harvestDate,
          quantity: supplying.length * p.lot.perHousehold,
          note: '合作社统一收购',
          supplies: supplying.map((householdId) => ({ householdId, quantity: p.lot.perHousehold })),
        }),
        adminId,
      );
    }
  }
  return accounts;
}
