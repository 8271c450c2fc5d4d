import { act, fireEvent, screen, within } from '@testing-library/react';
import type { ChatMessageDto, ConversationSummary, MessagePage } from '@xiangbo/contracts';
import { apiError, fakeApi, json, renderApp, resetLanguage, session, signedOutRefresh, user } from '../../test/helpers';
import { messagesSocketFactory, type MessagesSocket } from './use-messages-socket';

/** A stand-in for the socket.io client: the test plays the server (acks, pushed events). */
const socketState = {
  handlers: new Map<string, ((...a: unknown[]) => void)[]>(),
  sent: [] as { event: string; payload: unknown }[],
  ack: null as null | ((event: string, payload: unknown) => unknown),
  auth: null as unknown,
};

function fakeSocket() {
  const socket = {
    connected: true,
    on(event: string, h: (...a: unknown[]) => void) {
      socketState.handlers.set(event, [...(socketState.handlers.get(event) ?? []), h]);
      return socket;
    },
    removeAllListeners() {
      socketState.handlers.clear();
      return socket;
    },
    disconnect() {
      return socket;
    },
    connect() {
      return socket;
    },
    timeout() {
      return {
        emitWithAck: async (event: string, payload: unknown) => {
          socketState.sent.push({ event, payload });
          return socketState.ack?.(event, payload) ?? { ok: true };
        },
      };
    },
  };
  return socket;
}

function push(event: string, payload: unknown) {
  act(() => {
    for (const h of socketState.handlers.get(event) ?? []) h(payload);
  });
}

const C = '11111111-1111-4111-8111-111111111111';
const COOP = '22222222-2222-4222-8222-222222222222';
const P = '33333333-3333-4333-8333-333333333333';

function summary(overrides: Partial<ConversationSummary> = {}): ConversationSummary {
  return {
    id: C,
    cooperative: { id: COOP, name: '金米村木耳合作社' },
    buyer: { masked: '李*梅' },
    subject: { kind: 'product', id: P, name: '柞水黑木耳 250g', priceFen: 5900, unit: 'bag', thumbUrl: null },
    lastMessage: null,
    unread: 0,
    peerReadAt: null,
    side: 'buyer',
    updatedAt: '2026-12-07T08:00:00.000Z',
    ...overrides,
  };
}

let nextId = 100;
function msg(overrides: Partial<ChatMessageDto> = {}): ChatMessageDto {
  return {
    id: String(++nextId),
    conversationId: C,
    from: 'buyer',
    kind: 'text',
    text: '',
    photo: null,
    card: null,
    clientId: null,
    at: '2026-12-07T08:00:00.000Z',
    ...overrides,
  };
}

beforeEach(async () => {
  await resetLanguage();
  socketState.handlers.clear();
  socketState.sent = [];
  socketState.ack = null;
  socketState.auth = null;
  vi.spyOn(messagesSocketFactory, 'create').mockImplementation((opts) => {
    (opts.auth as (cb: (a: unknown) => void) => void)((a) => (socketState.auth = a));
    const s = fakeSocket();
    queueMicrotask(() => push('connect', undefined));
    return s as unknown as MessagesSocket;
  });
});

describe('the buyer’s chat with a cooperative (/messages/:id)', () => {
  function chatApi(page: MessagePage, conv = summary()) {
    return fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      [`GET /api/conversations/${C}`]: () => json(200, conv),
      [`GET /api/conversations/${C}/messages`]: () => json(200, page),
      [`POST /api/conversations/${C}/read`]: () => new Response(null, { status: 204 }),
    });
  }

  it('shows the history with the product card, sends over the socket, and shows the answer when it arrives', async () => {
    const card = msg({ kind: 'product', card: summary().subject });
    const asked = msg({ text: '请问是今年的新货吗？' });
    const api = chatApi({ items: [card, asked], nextBefore: null });
    renderApp(`/messages/${C}`, api.fetch);

    expect(await screen.findByRole('heading', { name: '金米村木耳合作社 · 客服' })).toBeTruthy();
    const thread = await screen.findByTestId('chat-thread');
    await within(thread).findByText('请问是今年的新货吗？');
    expect(within(thread).getAllByText('柞水黑木耳 250g').length).toBeGreaterThan(0);
    expect(socketState.auth).toEqual({ token: 'token-1' });

    socketState.ack = (_e, p) => ({
      ok: true,
      message: msg({ text: (p as { text: string }).text, clientId: (p as { clientId: string }).clientId }),
    });
    fireEvent.change(screen.getByLabelText('消息内容', { selector: 'textarea' }), {
      target: { value: '  几天能到杭州？ ' },
    });
    fireEvent.click(screen.getByRole('button', { name: '发送' }));
    expect(await within(thread).findByText('几天能到杭州？')).toBeTruthy();
    expect(socketState.sent[0]).toMatchObject({
      event: 'message:send',
      payload: { conversationId: C, text: '几天能到杭州？' },
    });
    expect((screen.getByLabelText('消息内容', { selector: 'textarea' }) as HTMLTextAreaElement).value).toBe('');
    expect(within(thread).getByText('未读')).toBeTruthy();

    // The cooperative answers: it appears at once, no reload; then it reads → 已读 under my last message.
    const answer = msg({ from: 'staff', text: '是9月新采的，江浙沪两天到。' });
    push('message:new', { conversation: summary({ unread: 1 }), message: answer });
    expect(await within(thread).findByText('是9月新采的，江浙沪两天到。')).toBeTruthy();
    const staffRow = within(thread).getByText('是9月新采的，江浙沪两天到。').closest('li');
    expect(staffRow?.getAttribute('data-from')).toBe('staff');
    push('conversation:read', { conversationId: C, side: 'staff', at: new Date(Date.now() + 1000).toISOString() });
    expect(await within(thread).findByText('已读')).toBeTruthy();
  });

  it('names bad text in Chinese before sending, and a refusal with a retry that resends the same message', async () => {
    renderApp(`/messages/${C}`, chatApi({ items: [], nextBefore: null }).fetch);
    const box = await screen.findByLabelText('消息内容', { selector: 'textarea' });
    expect(await screen.findByText('有问题尽管问，合作社客服会尽快回复。')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: '发送' }));
    expect((await screen.findByRole('alert')).textContent).toBe('请输入消息内容');
    fireEvent.change(box, { target: { value: '木'.repeat(501) } });
    expect(screen.getByText('501/500')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '发送' }));
    expect((await screen.findByRole('alert')).textContent).toBe('最多 500 个字');
    fireEvent.change(box, { target: { value: 'a\u0007b' } });
    fireEvent.click(screen.getByRole('button', { name: '发送' }));
    expect((await screen.findByRole('alert')).textContent).toBe('包含不可见的控制字符，请删掉后重试');
    expect(socketState.sent).toEqual([]);

    socketState.ack = () => ({ ok: false, code: 'MESSAGE_RATE_LIMITED', message: 'too many', retryAfterMs: 3000 });
    fireEvent.change(box, { target: { value: '还在吗' } });
    fireEvent.click(screen.getByRole('button', { name: '发送' }));
    const retry = await screen.findByRole('button', { name: /发得太快了，请稍等几秒再发。.*发送失败，点此重发/ });
    socketState.ack = (_e, p) => ({
      ok: true,
      message: msg({ text: '还在吗', clientId: (p as { clientId: string }).clientId }),
    });
    fireEvent.click(retry);
    await screen.findByTestId('chat-message');
    expect(screen.queryByTestId('chat-pending')).toBeNull();
    const ids = socketState.sent.map((s) => (s.payload as { clientId: string }).clientId);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]); // the retry is the same message: stored once by the server
  });

  it('marks what it shows as read, and loads earlier messages on request', async () => {
    const older = msg({ from: 'staff', text: '最早的一条' });
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      [`GET /api/conversations/${C}`]: () => json(200, summary({ unread: 2 })),
      [`GET /api/conversations/${C}/messages`]: () =>
        json(200, { items: [msg({ id: '500', from: 'staff', text: '新的一条' })], nextBefore: '500' }),
      [`GET /api/conversations/${C}/messages?before=500`]: () => json(200, { items: [older], nextBefore: null }),
      [`POST /api/conversations/${C}/read`]: () => new Response(null, { status: 204 }),
    });
    renderApp(`/messages/${C}`, api.fetch);
    await screen.findByText('新的一条');
    await vi.waitFor(() => expect(api.count(`POST /api/conversations/${C}/read`)).toBe(1));
    fireEvent.click(screen.getByRole('button', { name: '查看更早的消息' }));
    expect(await screen.findByText('最早的一条')).toBeTruthy();
    const texts = screen.getAllByTestId('chat-message').map((li) => li.querySelector('.bubble')?.textContent);
    expect(texts).toEqual(['最早的一条', '新的一条']);
    expect(screen.queryByRole('button', { name: '查看更早的消息' })).toBeNull();
  });

  it('says so in Chinese when the conversation is not the caller’s', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      [`GET /api/conversations/${C}`]: () => apiError(404, 'CONVERSATION_NOT_FOUND', 'conversation not found'),
    });
    renderApp(`/messages/${C}`, api.fetch);
    expect(await screen.findByText('找不到这个会话，或你无权查看。')).toBeTruthy();
  });

  it('sends a signed-out visitor to sign in first', async () => {
    const api = fakeApi({ 'POST /api/auth/refresh': signedOutRefresh });
    renderApp(`/messages/${C}`, api.fetch);
    expect(await screen.findByRole('heading', { name: '登录' })).toBeTruthy();
  });
});

describe('the buyer’s list (/messages)', () => {
  it('lists conversations with the last message and an unread badge that follows live messages', async () => {
    let unread = 1;
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      'GET /api/conversations': () =>
        json(200, {
          items: [
            summary({
              unread,
              lastMessage: { from: 'staff', kind: 'text', text: '您好，在的', at: '2026-12-07T08:00:00.000Z' },
            }),
          ],
          unreadTotal: unread,
        }),
    });
    renderApp('/messages', api.fetch);
    const row = await screen.findByTestId('conversation');
    expect(row.textContent).toContain('金米村木耳合作社');
    expect(row.textContent).toContain('您好，在的');
    expect(within(row).getByLabelText('1 条未读').textContent).toBe('1');
    unread = 2;
    push('message:new', {
      conversation: summary({ unread: 2 }),
      message: msg({ from: 'staff', text: '还有别的问题吗' }),
    });
    expect(await within(row).findByLabelText('2 条未读')).toBeTruthy();
  });
});

describe('the cooperative’s inbox (/console/:coopId/messages)', () => {
  const admin = user({ roles: [{ role: 'coop_admin', cooperativeId: COOP }] });

  it('lists buyers by masked name with unread counts and answers one', async () => {
    const staffView = summary({
      side: 'staff',
      unread: 1,
      lastMessage: { from: 'buyer', kind: 'text', text: '几天能到？', at: '2026-12-07T08:00:00.000Z' },
    });
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session(admin)),
      [`GET /api/console/cooperatives/${COOP}/conversations`]: () => json(200, { items: [staffView], unreadTotal: 1 }),
      [`GET /api/conversations/${C}`]: () => json(200, staffView),
      [`GET /api/conversations/${C}/messages`]: () =>
        json(200, { items: [msg({ text: '几天能到？' })], nextBefore: null }),
      [`POST /api/conversations/${C}/read`]: () => new Response(null, { status: 204 }),
    });
    renderApp(`/console/${COOP}/messages`, api.fetch);
    expect(await screen.findByText('1 条未读')).toBeTruthy();
    const row = await screen.findByTestId('conversation');
    expect(row.textContent).toContain('买家 李*梅');
    fireEvent.click(row);
    const thread = await screen.findByTestId('chat-thread');
    await within(thread).findByText('几天能到？');
    socketState.ack = (_e, p) => ({
      ok: true,
      message: msg({ from: 'staff', text: (p as { text: string }).text }),
    });
    fireEvent.change(within(thread).getByLabelText('消息内容', { selector: 'textarea' }), {
      target: { value: '江浙沪两天到' },
    });
    fireEvent.keyDown(within(thread).getByLabelText('消息内容', { selector: 'textarea' }), { key: 'Enter' });
    expect(await within(thread).findByText('江浙沪两天到')).toBeTruthy();
    expect(socketState.sent[0]).toMatchObject({ event: 'message:send', payload: { text: '江浙沪两天到' } });
  });
});

describe('chat times', () => {
  const now = new Date('2026-12-07T10:00:00.000Z'); // 18:00 in Beijing
  it('shows the time today, 昨天 yesterday, the date before that (Beijing time)', async () => {
    const { formatChatTime } = await import('../../format');
    expect(formatChatTime('2026-12-07T01:05:00.000Z', 'zh-CN', now)).toBe('09:05');
    expect(formatChatTime('2026-12-06T16:30:00.000Z', 'zh-CN', now)).toBe('00:30'); // already 7 Dec in Beijing
    expect(formatChatTime('2026-12-06T15:30:00.000Z', 'zh-CN', now)).toBe('昨天 23:30');
    expect(formatChatTime('2026-12-06T08:00:00.000Z', 'zh-CN', now)).toBe('昨天 16:00');
    expect(formatChatTime('2026-12-06T08:00:00.000Z', 'en', now)).toBe('Yesterday 16:00');
    expect(formatChatTime('2026-12-01T08:00:00.000Z', 'zh-CN', now)).toBe('2026/12/1 16:00');
  });
});
