import { screen, within } from '@testing-library/react';
import type { ProductDetail } from '@xiangbo/contracts';
import { apiError, fakeApi, json, renderApp, resetLanguage, signedOutRefresh } from '../../test/helpers';

const detail: ProductDetail = {
  id: 'p-1',
  nameZh: '柞水黑木耳',
  nameEn: null,
  descriptionZh: '秦岭深处椴木栽培。',
  descriptionEn: null,
  category: 'fungi',
  unit: 'jin',
  priceFen: 5900,
  currency: 'CNY',
  stock: 300,
  soldCount: 12,
  originProvince: '陕西省',
  originCounty: '柞水县',
  originVillage: '金米村',
  shelfLifeDays: 540,
  storage: '阴凉干燥处',
  shippingRegions: [],
  createdAt: '2025-09-01T00:00:00.000Z',
  updatedAt: '2025-09-01T00:00:00.000Z',
  photos: [{ url: '/api/files/a.webp', thumbUrl: '/api/files/a-thumb.webp', width: 1600, height: 1600 }],
  cooperative: { id: 'c-1', name: '金米村木耳专业合作社', province: '陕西省', county: '柞水县', village: '金米村' },
  trace: {
    origin: { province: '陕西省', county: '柞水县', village: '金米村' },
    lots: [{ code: 'ZS-2025-09', harvestDate: '2025-09-12', quantity: 100 }],
    households: {
      total: 3,
      registeredOrMonitored: 2,
      masked: [
        { name: '王*明', status: 'registered', quantity: 50 },
        { name: '李*英', status: 'monitored', quantity: 30 },
        { name: '欧**国', status: 'none', quantity: 20 },
      ],
    },
  },
  groupBuy: null,
  presale: null,
};

describe('product page', () => {
  beforeEach(resetLanguage);

  it('shows price, details, cooperative link and the trace in Chinese with masked names', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': signedOutRefresh,
      'GET /api/products/p-1': () => json(200, detail),
    });
    renderApp('/products/p-1', api.fetch);

    expect(await screen.findByRole('heading', { level: 1, name: '柞水黑木耳' })).toBeTruthy();
    expect(screen.getByText('¥59.00')).toBeTruthy();
    expect(screen.getByRole('link', { name: /金米村木耳专业合作社/ }).getAttribute('href')).toBe('/cooperatives/c-1');
    const trace = screen.getByRole('region', { name: '溯源信息' });
    expect(within(trace).getByTestId('trace-summary').textContent).toBe(
      '3 户农户供货，其中 2 户为建档立卡/防返贫监测户',
    );
    expect(within(trace).getByText('批次 ZS-2025-09')).toBeTruthy();
    expect(within(trace).getByText(/2025年9月12日/)).toBeTruthy();
    for (const name of ['王*明', '李*英', '欧**国']) expect(within(trace).getByText(name)).toBeTruthy();
    expect(within(trace).getByText('建档立卡')).toBeTruthy();
    expect(within(trace).getByText('防返贫监测')).toBeTruthy();
  });

  it('says plainly when the product does not exist or is unlisted', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': signedOutRefresh,
      'GET /api/products/gone': () => apiError(404, 'PRODUCT_NOT_FOUND'),
    });
    renderApp('/products/gone', api.fetch);
    expect(await screen.findByText('这个农产品不存在或已下架')).toBeTruthy();
  });
});
