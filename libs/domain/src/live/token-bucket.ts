/**
 * Token bucket: `capacity` tokens, refilled continuously at `refillPerSecond`. Pure: the caller keeps the state
 * (in memory for per-connection flood control, or in a shared store). Time is passed in, in milliseconds.
 */
export interface TokenBucketConfig {
  capacity: number;
  refillPerSecond: number;
}

export interface TokenBucketState {
  tokens: number;
  /** When `tokens` was last computed (ms). */
  at: number;
}

export type TakeResult =
  { ok: true; state: TokenBucketState } | { ok: false; state: TokenBucketState; retryAfterMs: number };

export function fullBucket(config: TokenBucketConfig, now: number): TokenBucketState {
  return { tokens: config.capacity, at: now };
}

/** Takes `cost` tokens if there are enough; otherwise says how long until there will be. */
export function takeTokens(
  state: TokenBucketState | undefined,
  config: TokenBucketConfig,
  now: number,
  cost = 1,
): TakeResult {
  if (config.capacity <= 0 || config.refillPerSecond < 0) throw new RangeError('invalid token bucket');
  const prev = state ?? fullBucket(config, now);
  const elapsed = Math.max(0, now - prev.at);
  const tokens = Math.min(config.capacity, prev.tokens + (elapsed * config.refillPerSecond) / 1000);
  if (cost <= tokens) return { ok: true, state: { tokens: tokens - cost, at: now } };
  const missing = cost - tokens;
  const retryAfterMs =
    config.refillPerSecond > 0 && cost <= config.capacity
      ? Math.ceil((missing * 1000) / config.refillPerSecond)
      : Infinity;
  return { ok: false, state: { tokens, at: now }, retryAfterMs };
}
