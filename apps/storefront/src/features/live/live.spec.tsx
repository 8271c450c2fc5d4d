import { act, render, screen } from '@testing-library/react';
import type { ChatMessage, ShowState } from '@xiangbo/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetLanguage } from '../../test/helpers';
import { ChatList } from './ChatList';
import { Countdown } from './Countdown';
import { initialRoom, roomReducer } from './live-state';
import { yuanToFen } from '../../format';

const msg = (over: Partial<ChatMessage> = {}): ChatMessage => ({
  id: 'm1',
  userId: 'u1',
  displayName: '小明',
  text: '你好',
  fromHost: false,
  at: '2026-01-01T00:00:00.000Z',
  ...over,
});

describe('chat rendering', () => {
  beforeEach(() => resetLanguage());

  it('renders HTML in a message as the plain text it is, never as markup', () => {
    const evil = '<img src=x onerror="window.__pwned = true"><b>好吃</b><script>alert(1)</script>';
    const { container } = render(<ChatList messages={[msg({ text: evil })]} />);
    const item = screen.getByTestId('chat-message');
    expect(item.textContent).toContain(evil);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect((window as { __pwned?: boolean }).__pwned).toBeUndefined();
  });

  it('marks the host and offers moderation only on viewers’ messages', () => {
    const onDelete = vi.fn();
    render(
      <ChatList
        messages={[msg({ id: 'h', fromHost: true, userId: 'host', text: '欢迎' }), msg({ id: 'v', text: '买了' })]}
        moderation={{ onDelete, onMute: vi.fn(), onBan: vi.fn() }}
        selfId="host"
      />,
    );
    expect(screen.getByText('主播')).toBeTruthy();
    const deletes = screen.getAllByRole('button', { name: '删除' });
    expect(deletes).toHaveLength(1);
    deletes[0].click();
    expect(onDelete).toHaveBeenCalledWith(expect.objectContaining({ id: 'v' }));
  });
});

describe('deal countdown', () => {
  beforeEach(() => resetLanguage());
  afterEach(() => vi.useRealTimers());

  it('counts down to the server’s end time in mm:ss and stops at 00:00, calling onEnd once', () => {
    const endsAt = new Date(Date.UTC(2026, 0, 1, 12, 2, 0)).toISOString();
    const onEnd = vi.fn();
    const base = Date.UTC(2026, 0, 1, 12, 0, 0);
    const { rerender } = render(<Countdown endsAt={endsAt} now={base + 1} label="距结束" onEnd={onEnd} />);
    expect(screen.getByRole('timer').textContent).toContain('02:00');
    rerender(<Countdown endsAt={endsAt} now={base + 61_000} label="距结束" onEnd={onEnd} />);
    expect(screen.getByRole('timer').textContent).toContain('00:59');
    expect(onEnd).not.toHaveBeenCalled();
    rerender(<Countdown endsAt={endsAt} now={base + 200_000} label="距结束" onEnd={onEnd} />);
    expect(screen.getByRole('timer').textContent).toContain('00:00');
    rerender(<Countdown endsAt={endsAt} now={base + 201_000} label="距结束" onEnd={onEnd} />);
    expect(onEnd).toHaveBeenCalledTimes(1);
  });

  it('ticks by itself', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date(Date.UTC(2026, 0, 1, 12, 0, 0)));
    render(<Countdown endsAt={new Date(Date.UTC(2026, 0, 1, 12, 0, 10)).toISOString()} label="距结束" />);
    expect(screen.getByRole('timer').textContent).toContain('00:10');
    await act(() => vi.advanceTimersByTimeAsync(3000));
    expect(screen.getByRole('timer').textContent).toContain('00:07');
  });
});

describe('room state', () => {
  const state: ShowState = {
    showId: 's1',
    title: '直播',
    status: 'live',
    cooperative: { id: 'c', name: '合作社' },
    pin: {
      pinId: 'p',
      productId: 'a',
      nameZh: '木耳',
      unit: 'box',
      priceFen: 5900,
      stock: 10,
      coverThumbUrl: null,
      pinnedAt: '',
    },
    video: { state: 'off', flvUrl: null, hlsUrl: null },
    deal: null,
    viewers: 3,
    likes: 0,
    slowModeSeconds: 0,
    chat: [],
    you: { userId: null, canHost: false, mutedUntil: null, banned: false },
    asOf: 1000,
  };

  it('holds patches that arrive before the state and applies only the newer ones; then follows patches', () => {
    let v = roomReducer(initialRoom, { type: 'patch', patch: { showId: 's1', at: 900, stock: { a: 99 } } });
    v = roomReducer(v, { type: 'patch', patch: { showId: 's1', at: 1200, stock: { a: 7 } } });
    v = roomReducer(v, { type: 'state', state });
    expect(v.state?.pin?.stock).toBe(7);
    v = roomReducer(v, {
      type: 'patch',
      patch: {
        showId: 's1',
        at: 1300,
        viewers: 8,
        tickers: [{ province: '陕西', quantity: 2, unit: 'box', text: '陕西的买家刚买了 2 盒', at: '' }],
      },
    });
    expect(v.state?.viewers).toBe(8);
    expect(v.tickers.map((t) => t.text)).toEqual(['陕西的买家刚买了 2 盒']);
    const on = { state: 'on' as const, flvUrl: '/api/media/live/x.flv', hlsUrl: '/api/media/hls/x/index.m3u8' };
    v = roomReducer(v, { type: 'patch', patch: { showId: 's1', at: 1400, video: on } });
    expect(v.state?.video).toEqual(on);
  });
});

describe('host deal price', () => {
  it('turns yuan into fen without floating point', () => {
    expect(yuanToFen('29.9')).toBe(2990);
    expect(yuanToFen('0.07')).toBe(7);
    expect(yuanToFen('19')).toBe(1900);
    expect(yuanToFen('1.234')).toBeNull();
    expect(yuanToFen('0')).toBeNull();
    expect(yuanToFen('abc')).toBeNull();
  });
});
