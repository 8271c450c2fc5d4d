import { defineConfig } from '@playwright/test';

/**
 * Browser tests of the built product (API serving the storefront) on a fresh database, in Debian's Chromium
 * (never a downloaded browser). `npm run test:e2e` (npm test runs it after the build).
 */
export default defineConfig({
  testDir: './tests',
  testMatch: '**/*.e2e.ts',
  globalSetup: require.resolve('./support/global-setup'),
  outputDir: '../test-results/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  // On CI (CI=true, set by .ci/run) a failed browser test is tried once more, as Playwright's own template does:
  // these tests drive real video, sockets and timers on a shared 2-core machine, and three submissions in a row
  // were lost to one-off failures (a kept-alive socket reset, a replay stall), each seen once in many runs. A test
  // that passes only on its retry is listed as "flaky" in the report; one that fails twice fails the run.
  // Locally (no CI) there is no retry, so a flaky test shows itself.
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-dev-shm-usage',
        // The host goes live from the camera (live-room.e2e.ts): Chromium's test camera and microphone, no prompt.
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
      ],
    },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
