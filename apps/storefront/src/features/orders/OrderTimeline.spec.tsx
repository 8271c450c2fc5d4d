import { render, screen, within } from '@testing-library/react';
import type { OrderEventDto } from '@xiangbo/contracts';
import { resetLanguage } from '../../test/helpers';
import { OrderTimeline } from './OrderTimeline';

beforeEach(resetLanguage);

const ev = (
  fromStatus: string | null,
  toStatus: string,
  actorKind: OrderEventDto['actorKind'],
  at: string,
  note = '',
): OrderEventDto => ({
  fromStatus,
  toStatus,
  actorKind,
  note,
  at,
});

describe('OrderTimeline', () => {
  it('tells the order’s history in Chinese, oldest first, with who and when (Beijing time)', () => {
    render(
      <OrderTimeline
        events={[
          ev(null, 'pending_payment', 'buyer', '2026-03-05T06:07:00.000Z'),
          ev('pending_payment', 'paid', 'provider', '2026-03-05T06:09:00.000Z', 'payment received'),
          ev('paid', 'shipped', 'cooperative', '2026-03-06T01:30:00.000Z', '顺丰 SF1234567890'),
          ev('shipped', 'delivered', 'buyer', '2026-03-08T02:00:00.000Z', 'received'),
          ev('delivered', 'completed', 'buyer', '2026-03-08T02:00:01.000Z', 'the buyer confirmed receipt'),
          ev('completed', 'completed', 'buyer', '2026-03-09T02:00:00.000Z', 'refund requested: 有两袋破了'),
          ev('completed', 'refunded', 'provider', '2026-03-09T05:00:00.000Z', 'refunded in full'),
        ]}
      />,
    );
    const list = screen.getByRole('list', { name: '订单进度，最早在前' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((li) => li.querySelector('strong')?.textContent)).toEqual([
      '已下单',
      '已付款',
      '已发货',
      '已签收',
      '已完成',
      '申请退款',
      '已退款',
    ]);
    expect(items[0]?.textContent).toContain('买家 · 2026/3/5 14:07');
    expect(items[1]?.textContent).toContain('支付机构');
    expect(within(items[2] as HTMLElement).getByText('顺丰 SF1234567890')).toBeTruthy();
    expect(items[2]?.textContent).toContain('合作社 · 2026/3/6 09:30');
    expect(within(items[5] as HTMLElement).getByText('有两袋破了')).toBeTruthy();
    // The server's English notes are not shown for ordinary steps.
    expect(list.textContent).not.toContain('payment received');
    expect(items[6]?.className).toContain('order-timeline__item--latest');
    expect(items[6]?.querySelector('time')?.getAttribute('dateTime')).toBe('2026-03-09T05:00:00.000Z');
  });

  it('says who cancelled: the system after expiry, or the buyer', () => {
    render(
      <OrderTimeline
        events={[
          ev(null, 'pending_payment', 'buyer', '2026-03-05T06:07:00.000Z'),
          ev('pending_payment', 'cancelled', 'system', '2026-03-05T06:22:00.000Z', 'reservation expired'),
        ]}
      />,
    );
    expect(screen.getByText('已取消（超时未付款）')).toBeTruthy();
    expect(screen.getByRole('list').textContent).toContain('系统 · 2026/3/5 14:22');
  });

  it('marks an automatic completion and a declined refund request', () => {
    render(
      <OrderTimeline
        events={[
          ev('shipped', 'completed', 'system', '2026-03-20T00:00:00.000Z', 'completed automatically after 10 days'),
          ev('completed', 'completed', 'cooperative', '2026-03-21T00:00:00.000Z', 'refund declined: 已超过售后期'),
        ]}
      />,
    );
    expect(screen.getByText('已完成（自动确认收货）')).toBeTruthy();
    expect(screen.getByText('退款申请被拒绝')).toBeTruthy();
    expect(screen.getByText('已超过售后期')).toBeTruthy();
  });
});
