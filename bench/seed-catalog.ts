/**
 * Fills a migrated database with a catalogue for benchmarks and screenshots: cooperatives (approved), coop admins,
 * member households (fictional people, masked in every public output), products with photos, lots and supplies.
 * Not the product's demo seed: a tool for the bench/ scripts.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import sharp from 'sharp';
import type { EntityManager } from 'typeorm';
import type { ProductCategory, ProductUnit, RegistryStatus } from '@xiangbo/contracts';
import { hashPassword } from '../apps/api/src/auth/passwords';
import { reindexProduct } from '../apps/api/src/catalog/search-index';
import type { AppConfig } from '../apps/api/src/config/config';
import { processImage } from '../apps/api/src/storage/image';
import { LocalStorage } from '../apps/api/src/storage/local-storage';

export const BENCH_PASSWORD = 'Xiangbo-bench-2026';

interface Kind {
  key: string;
  names: string[];
  category: ProductCategory;
  unit: ProductUnit;
  price: [number, number];
  bg: string;
  fg: string;
  shape: 'blob' | 'pepper' | 'leaf' | 'round' | 'grain' | 'jar';
  storage: string;
  shelf: number | null;
}

const KINDS: Kind[] = [
  {
    key: 'muer',
    names: ['黑木耳', '秋木耳', '椴木黑木耳', '小碗木耳'],
    category: 'fungi',
    unit: 'jin',
    price: [3900, 8900],
    bg: '#efe6d2',
    fg: '#3b2a22',
    shape: 'blob',
    storage: '阴凉干燥处',
    shelf: 540,
  },
  {
    key: 'xianggu',
    names: ['香菇', '花菇', '干香菇'],
    category: 'fungi',
    unit: 'jin',
    price: [3500, 9800],
    bg: '#f3ead8',
    fg: '#8a5a34',
    shape: 'round',
    storage: '阴凉干燥处',
    shelf: 365,
  },
  {
    key: 'lajiao',
    names: ['朝天椒', '红辣椒', '干辣椒', '线椒'],
    category: 'vegetables',
    unit: 'jin',
    price: [1500, 3900],
    bg: '#eaf3e4',
    fg: '#d0301f',
    shape: 'pepper',
    storage: '通风干燥处',
    shelf: 365,
  },
  {
    key: 'cha',
    names: ['绿茶', '毛尖', '高山云雾茶'],
    category: 'tea',
    unit: 'box',
    price: [6800, 26800],
    bg: '#eef5e8',
    fg: '#3f7d3a',
    shape: 'leaf',
    storage: '密封避光',
    shelf: 540,
  },
  {
    key: 'mihoutao',
    names: ['猕猴桃', '红心猕猴桃'],
    category: 'fruit',
    unit: 'case',
    price: [4900, 12800],
    bg: '#f6f1e3',
    fg: '#7a5c2e',
    shape: 'round',
    storage: '冷藏',
    shelf: 20,
  },
  {
    key: 'malingshu',
    names: ['马铃薯', '黄心土豆'],
    category: 'vegetables',
    unit: 'case',
    price: [2900, 5900],
    bg: '#f4eddc',
    fg: '#c9a064',
    shape: 'blob',
    storage: '阴凉避光',
    shelf: 60,
  },
  {
    key: 'xiaomi',
    names: ['小米', '黄小米', '有机小米'],
    category: 'grain_oil',
    unit: 'bag',
    price: [2500, 6800],
    bg: '#fbf3dc',
    fg: '#e0a526',
    shape: 'grain',
    storage: '阴凉干燥处',
    shelf: 365,
  },
  {
    key: 'fengmi',
    names: ['土蜂蜜', '百花蜜', '槐花蜜'],
    category: 'other',
    unit: 'jin',
    price: [5800, 16800],
    bg: '#fdf3e0',
    fg: '#d98a12',
    shape: 'jar',
    storage: '常温避光',
    shelf: 720,
  },
  {
    key: 'hetao',
    names: ['核桃', '薄皮核桃'],
    category: 'dried',
    unit: 'jin',
    price: [2200, 4800],
    bg: '#f1e9dc',
    fg: '#8b6a47',
    shape: 'round',
    storage: '阴凉干燥处',
    shelf: 365,
  },
  {
    key: 'maozhuacao',
    names: ['猫爪草', '野生猫爪草'],
    category: 'herbs',
    unit: 'jin',
    price: [4800, 12800],
    bg: '#eef3ea',
    fg: '#6d7f3a',
    shape: 'leaf',
    storage: '阴凉干燥处',
    shelf: 720,
  },
];

export const BENCH_COOPERATIVES = [
  {
    name: '柞水县金米村木耳专业合作社',
    province: '陕西省',
    city: '商洛市',
    county: '柞水县',
    township: '小岭镇',
    village: '金米村',
    kinds: ['muer', 'xianggu', 'hetao', 'fengmi'],
  },
  {
    name: '阜南县巩堰村种植专业合作社',
    province: '安徽省',
    city: '阜阳市',
    county: '阜南县',
    township: '公桥乡',
    village: '巩堰村',
    kinds: ['lajiao', 'maozhuacao'],
  },
  {
    name: '黄平县谷陇镇农特产品合作社',
    province: '贵州省',
    city: '黔东南苗族侗族自治州',
    county: '黄平县',
    township: '谷陇镇',
    village: '谷陇村',
    kinds: ['cha', 'lajiao', 'fengmi'],
  },
  {
    name: '山丹县马铃薯种植合作社',
    province: '甘肃省',
    city: '张掖市',
    county: '山丹县',
    township: '清泉镇',
    village: '南关村',
    kinds: ['malingshu', 'xiaomi'],
  },
  {
    name: '周至县猕猴桃专业合作社',
    province: '陕西省',
    city: '西安市',
    county: '周至县',
    township: '马召镇',
    village: '群星村',
    kinds: ['mihoutao', 'hetao'],
  },
  {
    name: '秦巴山区菌菇专业合作社',
    province: '陕西省',
    city: '安康市',
    county: '平利县',
    township: '老县镇',
    village: '蒋家坪村',
    kinds: ['xianggu', 'muer', 'cha'],
  },
];

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
const GIVEN = ['秀英', '建国', '桂兰', '德明', '玉珍', '小军', '春花', '志强', '海燕', '大山', '凤英', '永福'];
const STATUSES: RegistryStatus[] = ['registered', 'registered', 'monitored', 'none', 'lifted', 'registered'];

/** Deterministic pseudo-random numbers so two runs seed the same catalogue. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function illustration(kind: Kind, variant: number): string {
  const { bg, fg } = kind;
  const shapes: Record<Kind['shape'], string> = {
    blob: `<ellipse cx="330" cy="380" rx="190" ry="130" fill="${fg}"/><ellipse cx="500" cy="470" rx="160" ry="110" fill="${fg}" opacity="0.85"/>`,
    pepper: `<path d="M200 520 C 320 300, 520 260, 640 200 C 600 330, 420 520, 200 520 Z" fill="${fg}"/><path d="M260 600 C 380 420, 540 380, 660 340 C 600 460, 460 600, 260 600 Z" fill="${fg}" opacity="0.85"/><rect x="630" y="170" width="40" height="60" rx="10" fill="#3f7d3a"/>`,
    leaf: `<path d="M400 160 C 600 260, 600 520, 400 640 C 200 520, 200 260, 400 160 Z" fill="${fg}"/><path d="M400 180 L 400 620" stroke="#fff" stroke-width="8" opacity="0.5"/>`,
    round: `<circle cx="320" cy="380" r="150" fill="${fg}"/><circle cx="500" cy="460" r="130" fill="${fg}" opacity="0.85"/><circle cx="320" cy="380" r="60" fill="#fff" opacity="0.25"/>`,
    grain: Array.from({ length: 60 }, (_, i) => {
      const x = 180 + ((i * 97) % 440);
      const y = 200 + ((i * 53) % 380);
      return `<circle cx="${x}" cy="${y}" r="18" fill="${fg}"/>`;
    }).join(''),
    jar: `<rect x="260" y="240" width="280" height="360" rx="40" fill="${fg}"/><rect x="290" y="190" width="220" height="70" rx="14" fill="#7a4a10"/><rect x="300" y="360" width="200" height="110" rx="10" fill="#fff" opacity="0.6"/>`,
  };
  const label = kind.names[variant % kind.names.length];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="1200" viewBox="0 0 800 800">
    <rect width="800" height="800" fill="${bg}"/>
    <g transform="rotate(${variant * 12 - 6} 400 400)">${shapes[kind.shape]}</g>
    <text x="400" y="740" font-size="60" text-anchor="middle" font-family="Noto Sans CJK SC, sans-serif" fill="#333">${label}</text>
  </svg>`;
}

export interface SeedResult {
  cooperatives: { id: string; name: string; adminEmail: string }[];
  productIds: string[];
  /** A published product that has lots (for the product-page benchmark). */
  tracedProductId: string;
}

/** Seeds `products` products (default 500) into a migrated database; photos go to uploadsDir through LocalStorage. */
export async function seedCatalog(databaseUrl: string, uploadsDir: string, products = 500): Promise<SeedResult> {
  const random = rng(20260301);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const between = (a: number, b: number) => Math.round(a + random() * (b - a));
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const q = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    (await client.query(sql, params)).rows as T[];
  const manager = { query: (sql: string, params?: unknown[]) => q(sql, params) } as unknown as EntityManager;
  const storage = new LocalStorage({ UPLOADS_DIR: uploadsDir } as AppConfig);

  // Two illustrations per kind, converted exactly as an upload would be.
  const photos = new Map<string, { key: string; thumb: string; width: number; height: number }[]>();
  for (const kind of KINDS) {
    const list = [];
    for (let v = 0; v < 2; v++) {
      const png = await sharp(Buffer.from(illustration(kind, v)))
        .png()
        .toBuffer();
      const img = await processImage(png);
      const key = `bench/${kind.key}-${v}.webp`;
      const thumb = `bench/${kind.key}-${v}-thumb.webp`;
      await storage.put(key, img.original, img.contentType);
      await storage.put(thumb, img.thumb, img.contentType);
      list.push({ key, thumb, width: img.width, height: img.height });
    }
    photos.set(kind.key, list);
  }

  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const result: SeedResult = { cooperatives: [], productIds: [], tracedProductId: '' };
  await q('BEGIN');
  try {
    const coops: { id: string; adminId: string; spec: (typeof BENCH_COOPERATIVES)[number]; households: string[] }[] =
      [];
    for (const [i, spec] of BENCH_COOPERATIVES.entries()) {
      const adminEmail = `coop${i + 1}@bench.demo`;
      const [user] = await q<{ id: string }>(
        `INSERT INTO users (email, password_hash, display_name) VALUES ($1, $2, $3)
         ON CONFLICT (email) DO UPDATE SET display_name = EXCLUDED.display_name RETURNING id`,
        [adminEmail, passwordHash, `${spec.village}管理员`],
      );
      const uscc = `91${String(610000 + i).padStart(6, '0')}${randomBytes(5).toString('hex').toUpperCase()}`.slice(
        0,
        18,
      );
      const [coop] = await q<{ id: string }>(
        `INSERT INTO cooperatives (name, uscc, province, city, county, township, village, story, contact_name, contact_phone, status, applicant_id, reviewed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '联系人', '13800000000', 'approved', $9, now()) RETURNING id`,
        [
          spec.name,
          uscc,
          spec.province,
          spec.city,
          spec.county,
          spec.township,
          spec.village,
          `${spec.village}的农户一起种、一起卖。`,
          user.id,
        ],
      );
      await q(
        `INSERT INTO role_assignments (user_id, role, cooperative_id) VALUES ($1, 'buyer', NULL), ($1, 'coop_admin', $2)
         ON CONFLICT DO NOTHING`,
        [user.id, coop.id],
      );
      const households: string[] = [];
      for (let h = 0; h < 12; h++) {
        const [row] = await q<{ id: string }>(
          `INSERT INTO households (head_name, id_number_hash, id_number_masked, province, city, county, township, village, household_size, poverty_causes, status, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
          [
            `${pick([...SURNAMES])}${pick(GIVEN)}`,
            randomBytes(32).toString('hex'),
            `6101**********${String(1000 + h + i * 12).slice(-4)}`,
            spec.province,
            spec.city,
            spec.county,
            spec.township,
            spec.village,
            between(1, 6),
            ['illness'],
            STATUSES[(h + i) % STATUSES.length],
            user.id,
          ],
        );
        await q(
          `INSERT INTO memberships (cooperative_id, household_id, share_units, land_mu_hundredths, labour_role, joined_at, created_by)
           VALUES ($1, $2, $3, $4, 'grower', '2024-03-01', $5)`,
          [coop.id, row.id, between(1, 20), between(50, 500), user.id],
        );
        households.push(row.id);
      }
      coops.push({ id: coop.id, adminId: user.id, spec, households });
      result.cooperatives.push({ id: coop.id, name: spec.name, adminEmail });
    }

    for (let n = 0; n < products; n++) {
      const coop = coops[n % coops.length];
      const kind = KINDS.find(
        (k) => k.key === coop.spec.kinds[Math.floor(n / coops.length) % coop.spec.kinds.length],
      ) as Kind;
      const name = `${coop.spec.county.replace(/县$/, '')}${pick(kind.names)}${n >= coops.length * 4 ? ` ${between(1, 5)}${kind.unit === 'case' ? '箱装' : '斤装'}` : ''}`;
      const [product] = await q<{ id: string }>(
        `INSERT INTO products (cooperative_id, name_zh, description_zh, category, unit, price_fen, stock, sold_count,
                               origin_province, origin_county, origin_village, shelf_life_days, storage, published, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now() - ($15 || ' minutes')::interval) RETURNING id`,
        [
          coop.id,
          name.slice(0, 80),
          `${coop.spec.village}社员农户种植，${kind.storage}保存。合作社统一分拣、包装、发货。`,
          kind.category,
          kind.unit,
          between(kind.price[0] / 100, kind.price[1] / 100) * 100 - (random() < 0.5 ? 10 : 0),
          between(0, 2000),
          between(0, 5000),
          coop.spec.province,
          coop.spec.county,
          coop.spec.village,
          kind.shelf,
          kind.storage,
          n % 20 !== 19, // 5% not published
          String(n),
        ],
      );
      const variants = photos.get(kind.key) ?? [];
      const count = 1 + (n % 3);
      for (let p = 0; p < count; p++) {
        const ph = variants[(n + p) % variants.length];
        await q(
          `INSERT INTO product_photos (product_id, position, storage_key, thumb_key, width, height) VALUES ($1, $2, $3, $4, $5, $6)`,
          [product.id, p, ph.key, ph.thumb, ph.width, ph.height],
        );
      }
      for (let l = 0; l < 2; l++) {
        const suppliers = [...coop.households].sort(() => random() - 0.5).slice(0, 3);
        const quantities = suppliers.map(() => between(20, 200));
        const [lot] = await q<{ id: string }>(
          `INSERT INTO lots (product_id, code, harvest_date, quantity, note, created_by)
           VALUES ($1, $2, $3, $4, '', $5) RETURNING id`,
          [
            product.id,
            `${kind.key.toUpperCase()}-2025-${String(l + 8).padStart(2, '0')}`,
            `2025-0${8 + l}-1${l}`,
            quantities.reduce((a, b) => a + b, 0),
            coop.adminId,
          ],
        );
        for (const [s, hid] of suppliers.entries()) {
          await q(`INSERT INTO lot_supplies (lot_id, household_id, quantity) VALUES ($1, $2, $3)`, [
            lot.id,
            hid,
            quantities[s],
          ]);
        }
      }
      await reindexProduct(manager, product.id);
      result.productIds.push(product.id);
      if (!result.tracedProductId && n % 20 !== 19) result.tracedProductId = product.id;
    }
    await q('COMMIT');
  } catch (e) {
    await q('ROLLBACK');
    await client.end();
    throw e;
  }
  try {
    // A catalogue in service has planner statistics and a visibility map (autovacuum keeps them); one bulk-loaded a
    // second ago has neither until autovacuum's next pass, and its plans (nested loops over row estimates of 1,
    // no index-only counts) are not the ones production runs. Measure the steady state.
    await q('VACUUM (ANALYZE) cooperatives, products, product_photos, lots, lot_supplies, households, memberships');
  } finally {
    await client.end();
  }
  return result;
}
