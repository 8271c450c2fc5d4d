/**
 * Coalescing of live-room updates: everything that changes in a show within one tick becomes ONE patch per
 * viewer. Values are absolute (last write wins), so dropping intermediate values loses nothing a viewer needs;
 * lists (chat, tickers, deleted messages) are appended, bounded.
 */

export interface PatchLike {
  /** Time (ms) of the NEWEST change folded into the patch (a client compares it with its state's asOf). */
  at: number;
  stock?: Record<string, number>;
  /** A newly pinned product carries its stock at that moment: newer than any stock change before it. */
  pin?: { productId: string; stock: number } | null;
  chat?: readonly { id: string }[];
  chatDeleted?: readonly string[];
  tickers?: readonly unknown[];
}

export const PATCH_LIST_BOUNDS = { chat: 50, chatDeleted: 200, tickers: 10 } as const;

const keep = <T>(list: readonly T[], max: number): T[] =>
  list.length > max ? list.slice(list.length - max) : [...list];

/** Folds `next` into `acc` (both for the same show): a new object, the inputs are not changed. */
export function mergePatch<P extends PatchLike>(acc: P | undefined, next: P): P {
  if (!acc) return { ...next };
  const out = { ...acc, ...next } as P;
  out.at = Math.max(acc.at, next.at);
  if (acc.stock || next.stock) {
    const earlier = { ...acc.stock };
    if (next.pin) delete earlier[next.pin.productId];
    out.stock = { ...earlier, ...next.stock };
    if (Object.keys(out.stock).length === 0) delete out.stock;
  }
  if (acc.chat || next.chat)
    out.chat = keep([...(acc.chat ?? []), ...(next.chat ?? [])], PATCH_LIST_BOUNDS.chat) as P['chat'];
  if (acc.chatDeleted || next.chatDeleted) {
    out.chatDeleted = keep(
      [...new Set([...(acc.chatDeleted ?? []), ...(next.chatDeleted ?? [])])],
      PATCH_LIST_BOUNDS.chatDeleted,
    );
    // A message deleted in the same tick it was sent is never shown.
    if (out.chat) out.chat = out.chat.filter((m) => !out.chatDeleted?.includes(m.id)) as P['chat'];
  }
  if (acc.tickers || next.tickers)
    out.tickers = keep([...(acc.tickers ?? []), ...(next.tickers ?? [])], PATCH_LIST_BOUNDS.tickers);
  return out;
}

/**
 * Per-show buffers flushed on a tick. `add` folds a change into its show's pending patch; `drain` hands out
 * and forgets everything pending. The caller owns the timer (and the clock), so this stays pure and testable.
 */
export class PatchBuffer<P extends PatchLike> {
  private pending = new Map<string, P>();

  add(showId: string, patch: P): void {
    this.pending.set(showId, mergePatch(this.pending.get(showId), patch));
  }

  get size(): number {
    return this.pending.size;
  }

  drain(): [string, P][] {
    const out = [...this.pending.entries()];
    this.pending = new Map();
    return out;
  }
}

/** What a viewer's screen holds, as far as patches are concerned. */
export interface LiveViewState {
  status: string;
  pin: { productId: string; stock: number } | null;
  deal: { id: string; productId: string; remaining: number; status: string } | null;
  viewers: number;
  likes: number;
  slowModeSeconds: number;
  /** Whether and where the show's video plays (absolute, last write wins). */
  video?: unknown;
  chat: { id: string }[];
}

export interface ViewPatch extends PatchLike {
  status?: string;
  deal?: LiveViewState['deal'];
  viewers?: number;
  likes?: number;
  slowModeSeconds?: number;
  video?: unknown;
}

/** Applies a patch to the viewer's state (a new object). Chat is deduplicated by id and kept to `maxChat`. */
export function applyPatch<S extends LiveViewState>(state: S, patch: ViewPatch, maxChat = 50): S {
  const next = { ...state };
  if (patch.status !== undefined) next.status = patch.status;
  if (patch.pin !== undefined) next.pin = patch.pin as S['pin'];
  if (patch.deal !== undefined) next.deal = patch.deal as S['deal'];
  if (patch.viewers !== undefined) next.viewers = patch.viewers;
  if (patch.likes !== undefined) next.likes = patch.likes;
  if (patch.slowModeSeconds !== undefined) next.slowModeSeconds = patch.slowModeSeconds;
  if (patch.video !== undefined) next.video = patch.video as S['video'];
  if (patch.stock && next.pin && patch.stock[next.pin.productId] !== undefined) {
    next.pin = { ...next.pin, stock: patch.stock[next.pin.productId] };
  }
  if (patch.chat?.length || patch.chatDeleted?.length) {
    const seen = new Set(next.chat.map((m) => m.id));
    const deleted = new Set(patch.chatDeleted ?? []);
    const merged = [...next.chat, ...(patch.chat ?? []).filter((m) => !seen.has(m.id))].filter(
      (m) => !deleted.has(m.id),
    );
    next.chat = keep(merged, maxChat) as S['chat'];
  }
  return next;
}

/**
 * Patches that arrived before the joined state: those whose changes may be newer than the state (at ≥ asOf)
 * are applied on top of it, in arrival order; older ones are already in the state.
 */
export function patchesAfter<P extends PatchLike>(buffered: readonly P[], asOf: number): P[] {
  return buffered.filter((p) => p.at >= asOf);
}
