import { mergePatch, type PatchLike } from './coalesce';

/**
 * Rolling delivery of a show's patches to its viewers, in slices.
 *
 * Sending one message costs the server a system call per viewer: at 10,000 viewers one broadcast takes a few
 * hundred milliseconds on a small machine, so a room can be sent to only a few times a second. If every
 * broadcast went to the whole room after a tick, a change would wait for the broadcast in progress to end and
 * then for its own (up to two broadcasts). Instead a show's viewers are spread over `targets` rooms (slices),
 * sent to one after the other without pause, each with everything that changed since that slice was last sent:
 * a change reaches each viewer at that viewer's next turn (at most one round), and no viewer gets more than `burst`
 * messages within any `intervalMs` — what changes beyond that is folded into one patch (`mergePatch`).
 *
 * Leading edge: a slice that got fewer than `burst` messages within the interval is sent a change at once (its
 * turn comes straight away when the room is quiet), so at low load a change is not held back for the interval;
 * only under load — changes faster than `burst` per interval, or a round of sends longer than the interval — do
 * changes wait and fold.
 *
 * Pure: the caller owns the clock and the sending (and yields to its event loop between sends).
 */
export class RollingDelivery<P extends PatchLike> {
  private readonly shows = new Map<string, ShowTargets<P>>();

  constructor(
    /** Slices per show (a target index is 0 … targets − 1). */
    readonly targets: number,
    /** The window within which a target gets at most `burst` sends. */
    readonly intervalMs: number,
    /** Sends a target may get within one interval before changes wait and fold (1: one per interval). */
    readonly burst = 1,
  ) {
    if (!Number.isInteger(targets) || targets < 1) throw new RangeError('targets must be a positive integer');
    if (!(intervalMs >= 0)) throw new RangeError('intervalMs must be ≥ 0');
    if (!Number.isInteger(burst) || burst < 1) throw new RangeError('burst must be a positive integer');
  }

  /**
   * Folds a change into what every target of the show has pending — or only those `active` says have someone to
   * send to (a viewer who joins an empty slice afterwards reads the show's state after joining, which holds the
   * change already).
   */
  add(showId: string, patch: P, active?: (target: number) => boolean): void {
    let s = this.shows.get(showId);
    if (!s) {
      s = {
        pending: new Array(this.targets).fill(undefined),
        sent: Array.from({ length: this.targets }, () => new Array<number>(this.burst).fill(-Infinity)),
        oldest: new Array(this.targets).fill(0),
        next: 0,
      };
      this.shows.set(showId, s);
    }
    for (let k = 0; k < this.targets; k++) if (!active || active(k)) s.pending[k] = mergePatch(s.pending[k], patch);
  }

  /**
   * The next send due at `now` — taking it out and marking the target sent — or, when none is due, the time the
   * next one will be (null: nothing pending). Shows take turns (one send each per round), and within a show the
   * targets rotate, so under load every slice is sent in turn and none waits for another to be sent twice.
   */
  take(now: number): { showId: string; target: number; patch: P } | { wakeAt: number | null } {
    let wakeAt: number | null = null;
    for (const [showId, s] of this.shows) {
      for (let i = 0; i < this.targets; i++) {
        const k = (s.next + i) % this.targets;
        const patch = s.pending[k];
        if (!patch) continue;
        // due once the oldest of its last `burst` sends is an interval ago (at once if it had fewer)
        const due = s.sent[k][s.oldest[k]] + this.intervalMs;
        if (due > now) {
          wakeAt = wakeAt === null ? due : Math.min(wakeAt, due);
          continue;
        }
        s.pending[k] = undefined;
        this.markSent(s, k, now);
        s.next = (k + 1) % this.targets;
        // this show goes to the back of the line (Map order), so other shows get their turn
        this.shows.delete(showId);
        this.shows.set(showId, s);
        return { showId, target: k, patch };
      }
    }
    return { wakeAt };
  }

  /** Everything pending, now, whatever the interval (shutdown, tests); marks the targets sent. */
  drainAll(now: number): { showId: string; target: number; patch: P }[] {
    const out: { showId: string; target: number; patch: P }[] = [];
    for (const [showId, s] of this.shows)
      for (let k = 0; k < this.targets; k++) {
        const patch = s.pending[k];
        if (!patch) continue;
        s.pending[k] = undefined;
        this.markSent(s, k, now);
        out.push({ showId, target: k, patch });
      }
    return out;
  }

  private markSent(s: ShowTargets<P>, k: number, now: number) {
    s.sent[k][s.oldest[k]] = now;
    s.oldest[k] = (s.oldest[k] + 1) % this.burst;
  }

  /** Forgets a show (no viewers left in this process). */
  forget(showId: string): void {
    this.shows.delete(showId);
  }
}

interface ShowTargets<P> {
  pending: (P | undefined)[];
  /** When each target was last sent (ms): its last `burst` sends, a ring; `oldest` points at the oldest. */
  sent: number[][];
  oldest: number[];
  /** The target to look at first next time. */
  next: number;
}
