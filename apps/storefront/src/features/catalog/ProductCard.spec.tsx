import { render, screen } from '@testing-library/react';
import type { ProductSummary } from '@xiangbo/contracts';
import { MemoryRouter } from 'react-router-dom';
import i18n from '../../i18n/i18n';
import { resetLanguage } from '../../test/helpers';
import { ProductCard } from './ProductCard';

const product = (over: Partial<ProductSummary> = {}): ProductSummary => ({
  id: 'p-1',
  nameZh: '柞水黑木耳',
  nameEn: 'Zhashui wood ear',
  category: 'fungi',
  unit: 'jin',
  priceFen: 5900,
  currency: 'CNY',
  stock: 300,
  soldCount: 128,
  originProvince: '陕西省',
  originCounty: '柞水县',
  originVillage: '金米村',
  cooperative: { id: 'c-1', name: '金米村木耳专业合作社' },
  coverThumbUrl: '/api/files/products/p-1/a-thumb.webp',
  ...over,
});

const renderCard = (p: ProductSummary) =>
  render(
    <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <ProductCard product={p} />
    </MemoryRouter>,
  );

describe('ProductCard', () => {
  beforeEach(resetLanguage);

  it('shows the price in yuan from fen, per unit, and the sold count', () => {
    renderCard(product());
    expect(screen.getByText('¥59.00')).toBeTruthy();
    expect(screen.getByText('/斤')).toBeTruthy();
    expect(screen.getByText('已售 128')).toBeTruthy();
    expect(screen.getByRole('heading', { name: '柞水黑木耳' })).toBeTruthy();
    expect(screen.getByText('陕西 · 柞水县')).toBeTruthy();
    expect(screen.getByRole('link').getAttribute('href')).toBe('/products/p-1');
  });

  it('formats fen exactly: 1 fen, odd fen and thousands never go through a float', () => {
    const { unmount } = renderCard(product({ priceFen: 1 }));
    expect(screen.getByText('¥0.01')).toBeTruthy();
    unmount();
    const second = renderCard(product({ priceFen: 1999 }));
    expect(screen.getByText('¥19.99')).toBeTruthy();
    second.unmount();
    renderCard(product({ priceFen: 1234567 }));
    expect(screen.getByText('¥12,345.67')).toBeTruthy();
  });

  it('says 已售 0 for a new product and marks a sold-out one', () => {
    renderCard(product({ soldCount: 0, stock: 0, coverThumbUrl: null }));
    expect(screen.getByText('已售 0')).toBeTruthy();
    expect(screen.getByText('已售罄')).toBeTruthy();
  });

  it('speaks English when chosen', async () => {
    await i18n.changeLanguage('en');
    renderCard(product({ soldCount: 3 }));
    expect(screen.getByText('3 sold')).toBeTruthy();
    expect(screen.getByText('¥59.00')).toBeTruthy();
  });
});
