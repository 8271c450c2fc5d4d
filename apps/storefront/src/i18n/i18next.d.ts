import 'i18next';
import type zhCN from './locales/zh-CN.json';
import type catalogZh from '../features/catalog/locales/zh-CN.json';
import type catalogConsoleZh from '../features/catalog/locales/console.zh-CN.json';
import type coopZh from '../features/cooperatives/locales/zh-CN.json';
import type moneyZh from '../features/money/locales/zh-CN.json';
import type ordersZh from '../features/orders/locales/zh-CN.json';
import type liveZh from '../features/live/locales/zh-CN.json';
import type registryZh from '../features/registry/locales/zh-CN.json';
import type reviewsZh from '../features/reviews/locales/zh-CN.json';
import type verifyZh from '../features/verify/locales/zh-CN.json';
import type groupBuysZh from '../features/group-buys/locales/zh-CN.json';
import type presaleZh from '../features/presale/locales/zh-CN.json';
import type couponsZh from '../features/coupons/locales/zh-CN.json';
import type messagesZh from '../features/messages/locales/zh-CN.json';
import type afterSalesZh from '../features/after-sales/locales/zh-CN.json';

// Translation keys are type-checked against the Chinese resources (the source language).
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: {
      translation: typeof zhCN;
      coop: typeof coopZh;
      registry: typeof registryZh;
      // the console's part is merged in by features/catalog/console-strings.ts (kept out of the first load)
      catalog: typeof catalogZh & typeof catalogConsoleZh;
      orders: typeof ordersZh;
      money: typeof moneyZh;
      live: typeof liveZh;
      reviews: typeof reviewsZh;
      verify: typeof verifyZh;
      groupBuys: typeof groupBuysZh;
      presale: typeof presaleZh;
      coupons: typeof couponsZh;
      messages: typeof messagesZh;
      afterSales: typeof afterSalesZh;
    };
  }
}
