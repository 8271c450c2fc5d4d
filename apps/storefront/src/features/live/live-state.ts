import type { ChatMessage, HostStats, PurchaseTicker, ShowPatch, ShowState } from '@xiangbo/contracts';
import { applyPatch, patchesAfter } from '@xiangbo/domain';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** What the live room screen shows, built from `show:state` and the coalesced `show:patch` messages. */
export interface RoomView {
  connection: ConnectionStatus;
  state: ShowState | null;
  /** Patches that arrived before the (re)joined state; applied on top of it when it comes. */
  early: ShowPatch[];
  /** Latest purchase tickers, newest last (a few seconds each on screen). */
  tickers: (PurchaseTicker & { key: number })[];
  hostStats: HostStats | null;
  refusal: { code: string; message: string; retryAfterMs?: number } | null;
  banned: boolean;
}

export const initialRoom: RoomView = {
  connection: 'connecting',
  state: null,
  early: [],
  tickers: [],
  hostStats: null,
  refusal: null,
  banned: false,
};

export type RoomAction =
  | { type: 'connection'; status: ConnectionStatus }
  | { type: 'state'; state: ShowState }
  | { type: 'patch'; patch: ShowPatch }
  | { type: 'hostStats'; stats: HostStats }
  | { type: 'tickerExpired'; key: number }
  | { type: 'chatSent'; message: ChatMessage }
  | { type: 'refusal'; refusal: RoomView['refusal'] }
  | { type: 'banned' }
  | { type: 'muted'; until: string | null };

let tickerKey = 0;
const MAX_TICKERS = 3;

/** Pure reducer: easy to test, and the same rules as the server's coalescing (applyPatch from the domain). */
export function roomReducer(view: RoomView, action: RoomAction): RoomView {
  switch (action.type) {
    case 'connection':
      // A reconnection starts a new join: patches until the next state are held back.
      return { ...view, connection: action.status, early: action.status === 'connected' ? view.early : [] };
    case 'state': {
      let state: ShowState = action.state;
      for (const p of patchesAfter(view.early, action.state.asOf)) state = withImpact(applyPatch(state, p), p);
      return { ...view, state, early: [], banned: false };
    }
    case 'patch': {
      if (!view.state || view.state.showId !== action.patch.showId)
        return { ...view, early: [...view.early, action.patch].slice(-50) };
      const tickers = [...view.tickers, ...(action.patch.tickers ?? []).map((t) => ({ ...t, key: ++tickerKey }))].slice(
        -MAX_TICKERS,
      );
      return { ...view, state: withImpact(applyPatch(view.state, action.patch), action.patch), tickers };
    }
    case 'hostStats':
      return { ...view, hostStats: action.stats };
    case 'tickerExpired':
      return { ...view, tickers: view.tickers.filter((t) => t.key !== action.key) };
    case 'chatSent':
      return view.state ? { ...view, state: applyPatch(view.state, { at: Date.now(), chat: [action.message] }) } : view;
    case 'refusal':
      return { ...view, refusal: action.refusal };
    case 'banned':
      return { ...view, banned: true };
    case 'muted':
      return view.state
        ? { ...view, state: { ...view.state, you: { ...view.state.you, mutedUntil: action.until } } }
        : view;
  }
}

/** The 本场助农 counter (absolute, last write wins): the one field of the patch the domain's applyPatch leaves alone. */
function withImpact(state: ShowState, patch: ShowPatch): ShowState {
  return patch.impact === undefined ? state : { ...state, impact: patch.impact };
}
