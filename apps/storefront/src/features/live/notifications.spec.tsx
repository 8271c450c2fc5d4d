import { screen, within } from '@testing-library/react';
import type { NotificationDto, NotificationPage } from '@xiangbo/contracts';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeApi, json, renderApp, resetLanguage, session } from '../../test/helpers';

const ORDER = '11111111-1111-4111-8111-111111111111';
const CONV = '22222222-2222-4222-8222-222222222222';

const note = (over: Partial<NotificationDto>): NotificationDto => ({
  id: crypto.randomUUID(),
  kind: 'show_live',
  title: '',
  body: '',
  link: '/',
  readAt: null,
  createdAt: '2026-12-07T08:00:00.000Z',
  ...over,
});

function page(items: NotificationDto[]): NotificationPage {
  return {
    items,
    unread: items.filter((i) => !i.readAt).length,
    total: items.length,
    page: 1,
    pageSize: 50,
  };
}

describe('the notification centre hears of 客服 answers and parcels', () => {
  beforeEach(() => resetLanguage());

  it('words each kind in Chinese and opens what it is about', async () => {
    const items = [
      note({ kind: 'message_received', title: '柞水木耳合作社', link: `/messages/${CONV}` }),
      note({ kind: 'parcel_delivering', title: '柞水黑木耳', body: '柞水木耳合作社', link: `/orders/${ORDER}` }),
      note({
        kind: 'parcel_delivered',
        title: '洛南核桃',
        body: '洛南核桃合作社',
        link: `/orders/${ORDER}`,
        readAt: '2026-12-07T09:00:00.000Z',
      }),
      note({ kind: 'group_formed', title: '阳山水蜜桃', body: '阳山合作社', link: '/groups/g1' }),
      note({ kind: 'balance_due', title: '山丹马铃薯', body: '山丹合作社', link: `/orders/${ORDER}` }),
    ];
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      'GET /api/notifications?pageSize=50': () => json(200, page(items)),
    });
    renderApp('/notifications', api.fetch);
    const answer = await screen.findByRole('link', { name: /柞水木耳合作社 回复了你的咨询/ });
    expect(answer.getAttribute('href')).toBe(`/messages/${CONV}`);
    expect(screen.getByRole('link', { name: /你的「柞水黑木耳」正在派送/ }).getAttribute('href')).toBe(
      `/orders/${ORDER}`,
    );
    expect(screen.getByRole('link', { name: /你的「洛南核桃」已签收/ })).toBeTruthy();
    // the unread ones are marked so for a screen reader, the read one is not
    expect(
      screen.getByRole('link', { name: /「阳山水蜜桃」拼团成功，阳山合作社 将尽快发货/ }).getAttribute('href'),
    ).toBe('/groups/g1');
    expect(screen.getByRole('link', { name: /「山丹马铃薯」已采收，请按时支付尾款/ })).toBeTruthy();
    expect(screen.getAllByText('未读')).toHaveLength(4);
  });

  it('shows 通知 with its unread count on the account page', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      'GET /api/conversations/unread': () => json(200, { unreadTotal: 0 }),
      'GET /api/notifications?pageSize=50': () =>
        json(
          200,
          page([note({ kind: 'message_received', title: '金米村合作社' }), note({ kind: 'parcel_delivering' })]),
        ),
    });
    renderApp('/me', api.fetch);
    const link = await screen.findByTestId('notifications-link');
    expect(link.getAttribute('href')).toBe('/notifications');
    expect(within(link).getByText('通知')).toBeTruthy();
    expect((await within(link).findByLabelText('2 条未读')).textContent).toBe('2');
    // 消息 with nothing unread shows no badge
    const messages = await screen.findByTestId('messages-link');
    expect(within(messages).queryByLabelText(/条未读/)).toBeNull();
  });
});
