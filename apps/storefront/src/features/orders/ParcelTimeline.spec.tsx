import { render, screen, within } from '@testing-library/react';
import i18n from '../../i18n/i18n';
import { resetLanguage } from '../../test/helpers';
import { ParcelTimeline } from './ParcelTimeline';

describe('ParcelTimeline', () => {
  afterEach(resetLanguage);

  it('shows the parcel’s steps newest first, in Chinese, with the carrier’s words and Beijing time', async () => {
    await i18n.changeLanguage('zh-CN');
    render(
      <ParcelTimeline
        events={[
          { at: '2026-12-05T02:15:00.000Z', status: 'collected', text: '【柞水县】顺丰速运 已揽收' },
          { at: '2026-12-06T12:12:00.000Z', status: 'in_transit', text: '快件到达【杭州转运中心】' },
          { at: '2026-12-07T00:30:00.000Z', status: 'delivering', text: '【杭州市】快递员正在派送' },
        ]}
      />,
    );
    const steps = within(screen.getByRole('list', { name: '物流跟踪' })).getAllByRole('listitem');
    expect(steps.map((s) => s.querySelector('strong')?.textContent)).toEqual(['派送中', '运输中', '已揽收']);
    expect(steps[0].textContent).toContain('【杭州市】快递员正在派送');
    expect(steps[0].className).toContain('order-timeline__item--latest');
    expect(steps[0].querySelector('time')?.getAttribute('dateTime')).toBe('2026-12-07T00:30:00.000Z');
    expect(steps[0].querySelector('time')?.textContent).toMatch(/08:30/);
  });

  it('says so when the carrier has nothing yet', async () => {
    await i18n.changeLanguage('zh-CN');
    render(<ParcelTimeline events={[]} />);
    expect(screen.getByText('快递公司还没有揽收记录，稍后再来看看。')).toBeTruthy();
  });
});
