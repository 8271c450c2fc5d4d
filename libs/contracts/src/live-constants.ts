/**
 * The live room's constants (socket.io namespace and path, the limits the server enforces), without zod: the
 * storefront's live room imports them and nothing else of live.ts, which re-exports them.
 */
export const LIVE_NAMESPACE = '/live';
export const LIVE_SOCKET_PATH = '/socket.io';

/** Limits the server enforces (the storefront shows them; it never enforces them alone). */
export const LIVE_LIMITS = {
  chatMaxLength: 200,
  /** Per user and show: at most `chatPerWindow` messages in `chatWindowSeconds` (across processes: PostgreSQL). */
  chatPerWindow: 5,
  chatWindowSeconds: 10,
  maxSlowModeSeconds: 300,
  recentChat: 50,
  /** Socket.io frame limit: a bigger frame closes the connection. */
  maxMessageBytes: 16 * 1024,
  maxShowProducts: 30,
  maxDealQuantity: 100_000,
  maxDealCap: 99,
  minDealSeconds: 10,
  maxDealSeconds: 3600,
  maxLikesPerEvent: 20,
} as const;
