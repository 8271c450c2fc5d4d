/**
 * Reads of one kind (a user's roles, …) grouped while one is in flight: the first caller's read starts at once (on
 * the next tick, so the callers of the same turn of the event loop go with it); callers arriving while it runs wait
 * for the NEXT read, which takes all their keys in one statement. So a burst of requests costs one query per round
 * trip instead of one per request, and no caller ever gets an answer read before it asked (a revoked role is seen by
 * the next request, as with one query each). No cache: every answer is read after its caller arrived.
 */
export class GroupedReads<K, V> {
  private queue = new Map<K, { resolve(v: V): void; reject(e: unknown): void }[]>();
  private running = false;
  /** Reads made and keys they answered, for tests and benchmarks. */
  readonly stats = { reads: 0, keys: 0 };

  /**
   * @param read one statement for all the keys: what it finds for each (a key it does not return gets `missing`)
   * @param maxKeys most keys in one read (the rest go in the next)
   */
  constructor(
    private readonly read: (keys: K[]) => Promise<Map<K, V>>,
    private readonly missing: () => V,
    private readonly maxKeys = 500,
  ) {}

  load(key: K): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      const waiting = this.queue.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.queue.set(key, [{ resolve, reject }]);
      if (!this.running) {
        this.running = true;
        process.nextTick(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.size) {
      const batch = [...this.queue].slice(0, this.maxKeys);
      for (const [key] of batch) this.queue.delete(key);
      this.stats.reads++;
      this.stats.keys += batch.length;
      try {
        const found = await this.read(batch.map(([key]) => key));
        for (const [key, callers] of batch) {
          for (const c of callers) c.resolve(found.has(key) ? (found.get(key) as V) : this.missing());
        }
      } catch (e) {
        for (const [, callers] of batch) for (const c of callers) c.reject(e);
      }
    }
    this.running = false;
  }
}
