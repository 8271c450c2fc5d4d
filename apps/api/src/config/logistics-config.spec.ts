import { logisticsConfigProblems, logisticsProviderName } from './logistics-config';

describe('logistics config', () => {
  it('uses the demo carrier outside production and none in production unless one is named', () => {
    expect(logisticsProviderName({ NODE_ENV: 'development' })).toBe('demo');
    expect(logisticsProviderName({ NODE_ENV: 'production' })).toBe('off');
    expect(logisticsProviderName({ NODE_ENV: 'production', LOGISTICS_PROVIDER: 'kuaidi100' })).toBe('kuaidi100');
    expect(logisticsConfigProblems({ NODE_ENV: 'production' })).toEqual([]);
  });

  it('refuses the demo carrier in production, and Kuaidi100 without its customer and key', () => {
    expect(logisticsConfigProblems({ NODE_ENV: 'production', LOGISTICS_PROVIDER: 'demo' })).toEqual([
      expect.stringMatching(/^LOGISTICS_PROVIDER: demo is not allowed in production/),
    ]);
    expect(logisticsConfigProblems({ NODE_ENV: 'test', LOGISTICS_PROVIDER: 'kuaidi100', KUAIDI100_KEY: 'k' })).toEqual([
      'KUAIDI100_CUSTOMER: required when LOGISTICS_PROVIDER is kuaidi100',
    ]);
    expect(
      logisticsConfigProblems({
        NODE_ENV: 'production',
        LOGISTICS_PROVIDER: 'kuaidi100',
        KUAIDI100_CUSTOMER: 'c',
        KUAIDI100_KEY: 'k',
        KUAIDI100_ENDPOINT: 'http://127.0.0.1:9000/',
      }),
    ).toEqual(['KUAIDI100_ENDPOINT: must be https in production (http is for the offline stand-in only)']);
  });
});
