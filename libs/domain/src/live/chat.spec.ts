import fc from 'fast-check';
import { chatDecision, normalizeChatText } from './chat';

describe('chat text', () => {
  it('keeps HTML as the plain characters it is (rendered as text by the clients)', () => {
    expect(normalizeChatText('<img src=x onerror=alert(1)>', 200)).toEqual({
      ok: true,
      text: '<img src=x onerror=alert(1)>',
    });
  });

  it('removes invisible and control characters and folds whitespace', () => {
    expect(normalizeChatText('  好\u200B吃\n\n 的\u202E木耳\u0007 ', 200)).toEqual({ ok: true, text: '好吃 的木耳' });
    expect(normalizeChatText(' \u200B\n ', 200)).toEqual({ ok: false, reason: 'EMPTY' });
  });

  it('counts characters, not UTF-16 units', () => {
    expect(normalizeChatText('😀'.repeat(200), 200).ok).toBe(true);
    expect(normalizeChatText('哈'.repeat(201), 200)).toEqual({ ok: false, reason: 'TOO_LONG' });
  });
});

describe('chat rate limit and slow mode', () => {
  const rules = { maxLength: 200, perWindow: 5, windowMs: 10_000, slowModeMs: 0 };

  it('allows 5 messages in 10 s and refuses the 6th until the oldest leaves the window', () => {
    const sent = [0, 1000, 2000, 3000, 4000];
    const r = chatDecision(sent, 5000, rules);
    expect(r).toEqual({ ok: false, reason: 'RATE_LIMITED', retryAfterMs: 5000 });
    expect(chatDecision(sent, 10_000, rules)).toEqual({ ok: true });
  });

  it('slow mode spaces one user’s messages', () => {
    expect(chatDecision([9000], 10_000, { ...rules, slowModeMs: 3000 })).toEqual({
      ok: false,
      reason: 'SLOW_MODE',
      retryAfterMs: 2000,
    });
    expect(chatDecision([7000], 10_000, { ...rules, slowModeMs: 3000 })).toEqual({ ok: true });
  });

  it('property: following the decisions, no 10 s window ever holds more than 5 messages', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4000 }), { minLength: 1, maxLength: 300 }), (gaps) => {
        const sent: number[] = [];
        let now = 0;
        for (const g of gaps) {
          now += g;
          if (chatDecision(sent, now, rules).ok) sent.push(now);
        }
        for (const t of sent)
          expect(sent.filter((u) => u >= t && u < t + rules.windowMs).length).toBeLessThanOrEqual(5);
      }),
    );
  });
});
