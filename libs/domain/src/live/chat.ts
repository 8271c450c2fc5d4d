/** Chat rules of a live show: plain text only, a length limit, a per-user rate limit and the host's slow mode. */

export interface ChatRules {
  maxLength: number;
  /** At most `perWindow` messages per `windowMs` per user. */
  perWindow: number;
  windowMs: number;
  /** Slow mode: at least this long between two messages of one user (0 = off). */
  slowModeMs: number;
}

export type ChatTextResult = { ok: true; text: string } | { ok: false; reason: 'EMPTY' | 'TOO_LONG' };

// C0/C1 control characters except tab and newline, bidi overrides and zero-width joiners used to hide text.
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/**
 * Normalises a chat message: removes control and invisible characters, folds runs of whitespace and newlines
 * into one space, trims. The text stays plain text: "<b>" is kept as the four characters it is (the clients
 * render text, never HTML), so nothing is "escaped" twice and nothing is lost.
 * Length is counted in characters (code points), so "哈" and "😀" count one each.
 */
export function normalizeChatText(raw: string, maxLength: number): ChatTextResult {
  const text = raw.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
  if (!text) return { ok: false, reason: 'EMPTY' };
  if ([...text].length > maxLength) return { ok: false, reason: 'TOO_LONG' };
  return { ok: true, text };
}

export type ChatDecision = { ok: true } | { ok: false; reason: 'RATE_LIMITED' | 'SLOW_MODE'; retryAfterMs: number };

/**
 * May this user send a message now? `recent` are the times (ms) of the user's messages in this show,
 * any order (only those within max(windowMs, slowModeMs) matter). Sliding window: exact, no burst at edges.
 */
export function chatDecision(recent: readonly number[], now: number, rules: ChatRules): ChatDecision {
  const sorted = [...recent].filter((t) => t <= now).sort((a, b) => b - a);
  const last = sorted[0];
  if (rules.slowModeMs > 0 && last !== undefined && now - last < rules.slowModeMs) {
    return { ok: false, reason: 'SLOW_MODE', retryAfterMs: rules.slowModeMs - (now - last) };
  }
  const inWindow = sorted.filter((t) => now - t < rules.windowMs);
  if (inWindow.length >= rules.perWindow) {
    // The oldest message that keeps the window full must leave it first.
    const blocking = inWindow[rules.perWindow - 1];
    return { ok: false, reason: 'RATE_LIMITED', retryAfterMs: rules.windowMs - (now - blocking) };
  }
  return { ok: true };
}
