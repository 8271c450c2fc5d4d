/** The promises a cooperative can choose (7天无理由, 坏果包赔, 48小时发货), without zod: after-sales.ts re-exports them. */
export const PROMISES = ['sevenDayReturn', 'badFruitCover', 'shipWithin48h'] as const;
