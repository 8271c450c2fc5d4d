import 'i18next';
import type zhCN from './locales/zh-CN.json';

// Translation keys are type-checked against the Chinese resources (the source language).
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof zhCN };
  }
}
