import { test as base } from '@playwright/test';

/** Playwright's test with baseURL taken from the product that global-setup started for this run. */
export const test = base.extend({
  baseURL: async ({}, use) => {
    const url = process.env.XB_E2E_BASE_URL;
    if (!url) throw new Error('XB_E2E_BASE_URL is not set: run through `npm run test:e2e`');
    await use(url);
  },
});
export { expect } from '@playwright/test';
