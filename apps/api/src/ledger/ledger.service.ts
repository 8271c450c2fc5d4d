import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { escapeLiteral } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import {
  assertBalanced,
  GENESIS_HASH,
  householdOfAccount,
  LedgerError,
  type LedgerKind,
  type LedgerTransaction,
  type LedgerTransactionContent,
  type Posting,
  transactionHash,
} from '@xiangbo/domain';
import { LedgerErrorCode, LedgerException } from './ledger.exception';

export interface AppendInput {
  cooperativeId: string;
  /** Derived from the cause (pay:order:<id>, settle:order:<id>, refund:<id>, payout:<id>…): recorded once. */
  idempotencyKey: string;
  kind: LedgerKind;
  /** When it happened (ISO-8601 UTC with milliseconds); now when omitted. Stored exactly as hashed. */
  occurredAt?: string | Date;
  reference: Record<string, unknown>;
  /** Signed fen: debit positive, credit negative; per currency they must sum to zero. */
  postings: { account: string; amount: number; currency?: 'CNY' }[];
  /** Order this transaction concerns (payment, settlement, refund, reversal). */
  orderId?: string | null;
}

export interface AppendOptions {
  /**
   * Statements that must commit with this entry, sent in the same round trip as the insert (data-modifying CTE
   * bodies supplied by the feature that owns the cause, each with its own $1…$n). They run only
   * when the entry is new. Keeps the time the cooperative's chain is held short (settlement runs use it).
   */
  also?: { sql: string; params: unknown[] }[];
}

export interface AppendedTransaction extends LedgerTransaction {
  id: string;
  orderId: string | null;
  /** False when the idempotency key was already recorded: the existing transaction is returned, nothing written. */
  created: boolean;
}

/** node:crypto's SHA-256 (the same digest as the pure-JS one in the domain library, faster). */
export const nodeHasher = (canonical: string): string => createHash('sha256').update(canonical, 'utf8').digest('hex');

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

type TxRow = {
  id: string;
  cooperative_id: string;
  seq: number;
  idempotency_key: string;
  kind: LedgerKind;
  occurred_at: string;
  reference: Record<string, unknown>;
  prev_hash: string;
  hash: string;
  order_id: string | null;
};

/** One entry of `appendEach`: its own transaction, written only when `guard` (a SELECT, SQL text) returns a row. */
export interface SeriesEntry {
  input: AppendInput;
  /** A SELECT (literal SQL, values escaped by the caller) that must return a row, e.g. locking and checking an order. */
  guard?: string;
  /** Data-modifying statements (literal SQL) that commit with the entry, e.g. marking the order settled. */
  also?: string[];
}

export interface SeriesResult {
  appended: Set<string>;
  /** Keys whose guard returned no row (their cause changed or was busy): nothing was written for them. */
  refused: Set<string>;
  /** Keys already recorded before: nothing was written. */
  existing: Set<string>;
}

/** Where a cooperative's chain ends: the last seq and its hash (0 and the genesis hash when empty). */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** Entries checked and hashed ahead of time by `sealBatch`, as the links after some head; `tip` is their last link. */
export interface SealedBatch {
  readonly cooperativeId: string;
  readonly entries: readonly SealedEntry[];
  readonly tip: ChainHead;
}

/** A query on the connection (and transaction) of `appendBatch`, parameters bound ($1…$n). */
export type BatchQuery = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

/** What commits with the entries of `appendBatch`, in the same transaction. */
export interface BatchHooks {
  /**
   * Runs first, with the cooperative's chain held: locks and checks the causes of the entries not recorded yet and
   * returns the keys that may be written (the others are refused: nothing is written for them). It must never wait
   * for a row lock (use `FOR UPDATE SKIP LOCKED`): the chain is held meanwhile.
   */
  guard?: (query: BatchQuery, keys: readonly string[]) => Promise<ReadonlySet<string>>;
  /**
   * Runs after the entries are inserted, with the entries written (e.g. the owner of their causes marks them —
   * orders' `settledOrders.markSettled` — and the run counts its progress). The ledger itself writes only its tables.
   */
  after?: (query: BatchQuery, written: readonly AppendInput[]) => Promise<void>;
}

/** The batches `sealBatch` made: only their hashes are trusted by `appendBatch`. */
const sealedHere = new WeakSet<SealedBatch>();

/** SQLSTATE of the guard's deliberate division by zero: "this entry's guard refused it". */
const GUARD_REFUSED = '22012';

/**
 * The ledger's only writer. `append` runs inside the caller's transaction, so a ledger entry and its cause
 * (a payment, a settlement, a payout) commit or roll back together. Per cooperative, appends are serialised by
 * an advisory lock, so the hash chain never forks (seq 1, 2, 3… with each prevHash the previous hash).
 * Balances are never stored: they are sums of postings (see `balances`).
 */
@Injectable()
export class LedgerService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async append(m: EntityManager, input: AppendInput, options: AppendOptions = {}): Promise<AppendedTransaction> {
    if (!m.queryRunner?.isTransactionActive) throw new Error('LedgerService.append must run inside a transaction');
    const postings: Posting[] = input.postings.map((p) => ({
      account: p.account,
      amount: p.amount,
      currency: p.currency ?? 'CNY',
    }));
    try {
      assertBalanced(postings);
    } catch (e) {
      if (e instanceof LedgerError || (e as Error).name === 'MoneyError') {
        throw new LedgerException(
          LedgerErrorCode.UNBALANCED,
          `ledger transaction ${input.idempotencyKey} refused: ${(e as Error).message}`,
        );
      }
      throw e;
    }
    const occurredAt =
      input.occurredAt instanceof Date
        ? input.occurredAt.toISOString()
        : (input.occurredAt ?? new Date().toISOString());
    if (!ISO_MS.test(occurredAt))
      throw new LedgerException(
        LedgerErrorCode.UNBALANCED,
        `occurredAt must be ISO-8601 UTC with milliseconds, got ${occurredAt}`,
      );

    const rows = await this.lockChain(m, input.cooperativeId, input.idempotencyKey);
    const existing = rows.find((r) => r.existing);
    if (existing) return { ...(await this.withPostings(m, existing)), created: false };
    const last = rows.find((r) => !r.existing);

    const content = {
      cooperativeId: input.cooperativeId,
      seq: (last?.seq ?? 0) + 1,
      idempotencyKey: input.idempotencyKey,
      kind: input.kind,
      occurredAt,
      reference: input.reference,
      postings,
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const hash = transactionHash(content, nodeHasher);
    // The transaction, its postings (in their hashed order, `position`) and the caller's `also`: one round trip.
    let offset = 14;
    const also = (options.also ?? [])
      .map((a, i) => {
        const cte = `, also${i} AS (${a.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`;
        offset += a.params.length;
        return cte;
      })
      .join('');
    const [inserted]: { id: string }[] = await m.query(
      `WITH t AS (
         INSERT INTO ledger_transactions (cooperative_id, seq, idempotency_key, kind, occurred_at, reference, prev_hash, hash, order_id)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9) RETURNING id
       ), p AS (
         INSERT INTO ledger_postings (transaction_id, position, account, amount, currency, household_id)
         SELECT t.id, x.position, x.account, x.amount, x.currency, x.household_id
           FROM t, unnest($10::smallint[], $11::varchar[], $12::bigint[], $13::varchar[], $14::uuid[]) AS x(position, account, amount, currency, household_id)
       )${also}
       SELECT id FROM t`,
      [
        content.cooperativeId,
        content.seq,
        content.idempotencyKey,
        content.kind,
        content.occurredAt,
        JSON.stringify(content.reference),
        content.prevHash,
        hash,
        input.orderId ?? null,
        postings.map((_, i) => i),
        postings.map((p) => p.account),
        postings.map((p) => String(p.amount)),
        postings.map((p) => p.currency),
        postings.map((p) => householdOfAccount(p.account)),
        ...(options.also ?? []).flatMap((a) => a.params),
      ],
    );
    return { ...content, hash, id: inserted.id, orderId: input.orderId ?? null, created: true };
  }

  /** The cooperative's chain head as committed now (seq 0 and the genesis hash when it is empty). */
  async head(cooperativeId: string): Promise<ChainHead> {
    const [last]: { seq: number; hash: string }[] = await this.db.query(
      'SELECT seq, hash FROM ledger_transactions WHERE cooperative_id = $1 ORDER BY seq DESC LIMIT 1',
      [cooperativeId],
    );
    return last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
  }

  /**
   * Checks and hashes entries ahead of time (no database, no lock), as the links after `after`: `appendBatch` then
   * uses each hash as it is when the chain really is there when the batch is written (the usual case: a run
   * writes batch after batch), and hashes again from the real head what is not (another append came between,
   * an entry was refused or already recorded). The chain written is the same either way.
   */
  sealBatch(cooperativeId: string, entries: readonly AppendInput[], after: ChainHead): SealedBatch {
    let at = after;
    const sealed = entries.map((input) => {
      if (input.cooperativeId !== cooperativeId)
        throw new LedgerError(`${input.idempotencyKey} belongs to another cooperative's chain`);
      const s = sealEntry(input, at);
      at = { seq: s.content.seq, hash: s.hash };
      return s;
    });
    const batch: SealedBatch = Object.freeze({ cooperativeId, entries: Object.freeze(sealed), tip: at });
    sealedHere.add(batch);
    return batch;
  }

  /**
   * Appends many entries of one cooperative in ONE transaction, fast: takes the chain (advisory lock until the
   * transaction ends), skips the keys already recorded, runs `hooks.guard`, links the new entries in order after the
   * chain's real head (see `sealBatch`), inserts them and their postings with one statement (arrays bound as
   * parameters, each account code sent once), runs `hooks.after`, and commits — asynchronously (synchronous_commit
   * off for this transaction: a crash loses at most the last moments' batches, whole, and a resumed run writes them
   * again). All or nothing: on any error the batch is rolled back and the error thrown (nothing of it was written).
   */
  async appendBatch(
    cooperativeId: string,
    batch: readonly AppendInput[] | SealedBatch,
    hooks: BatchHooks = {},
  ): Promise<SeriesResult & { head: ChainHead }> {
    const result: SeriesResult = { appended: new Set(), refused: new Set(), existing: new Set() };
    // Hashes made ahead are used only from a batch `sealBatch` made (and froze); any other is hashed again below.
    const entries =
      !Array.isArray(batch) && sealedHere.has(batch as SealedBatch)
        ? (batch as SealedBatch).entries
        : this.sealBatch(
            cooperativeId,
            Array.isArray(batch) ? batch : (batch as SealedBatch).entries.map((e) => e.input),
            {
              seq: -1,
              hash: '',
            },
          ).entries;
    if (!Array.isArray(batch) && (batch as SealedBatch).cooperativeId !== cooperativeId)
      throw new LedgerError(`a batch sealed for another cooperative's chain`);
    const qr = this.db.createQueryRunner();
    const client = (await qr.connect()) as {
      query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
    };
    const query: BatchQuery = async <T>(sql: string, params?: unknown[]) =>
      (await client.query(sql, params)).rows as T[];
    try {
      await client.query(
        `BEGIN; SET LOCAL synchronous_commit TO OFF; SELECT pg_advisory_xact_lock(hashtextextended(${escapeLiteral(`ledger:${cooperativeId}`)}, 0))`,
      );
      try {
        // READ COMMITTED: each statement's snapshot is taken after the lock, so every append committed before is seen.
        const keys = entries.map((e) => e.content.idempotencyKey);
        const recorded = new Set(
          (
            await query<{ idempotency_key: string }>(
              'SELECT idempotency_key FROM ledger_transactions WHERE idempotency_key = ANY($1::varchar[])',
              [keys],
            )
          ).map((r) => r.idempotency_key),
        );
        const open = [...new Set(keys.filter((k) => !recorded.has(k)))];
        const allowed = hooks.guard && open.length ? await hooks.guard(query, open) : null;
        const [last] = await query<{ seq: number; hash: string }>(
          'SELECT seq, hash FROM ledger_transactions WHERE cooperative_id = $1 ORDER BY seq DESC LIMIT 1',
          [cooperativeId],
        );
        let at: ChainHead = last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
        const linked: SealedEntry[] = [];
        for (const e of entries) {
          const key = e.content.idempotencyKey;
          if (recorded.has(key) || result.appended.has(key)) result.existing.add(key);
          else if (allowed && !allowed.has(key)) result.refused.add(key);
          else {
            const s = e.content.seq === at.seq + 1 && e.content.prevHash === at.hash ? e : relink(e, at);
            at = { seq: s.content.seq, hash: s.hash };
            linked.push(s);
            result.appended.add(key);
          }
        }
        if (linked.length) await this.insertSealed(query, cooperativeId, linked);
        if (hooks.after)
          await hooks.after(
            query,
            linked.map((s) => s.input),
          );
        await client.query('COMMIT');
        return { ...result, head: at };
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    } finally {
      await qr.release();
    }
  }

  /** Inserts sealed transactions (consecutive links of one chain) and their postings: two statements. */
  private async insertSealed(query: BatchQuery, cooperativeId: string, sealed: readonly SealedEntry[]): Promise<void> {
    const n = sealed.length;
    const seq = new Array<number>(n);
    const key = new Array<string>(n);
    const kind = new Array<string>(n);
    const at = new Array<string>(n);
    const ref = new Array<string>(n);
    const prev = new Array<string>(n);
    const hash = new Array<string>(n);
    const order = new Array<string | null>(n);
    // Postings: the transaction's seq, position, amount, and an index into the (account, currency) pairs, each pair
    // sent once. Whole numbers only (checked when sealed), so these go as array literals joined here: the driver's
    // element-by-element quoting of ~20,000 values per batch is what the chain would otherwise wait for.
    const pSeq: number[] = [];
    const pPos: number[] = [];
    const pAccount: number[] = [];
    const pAmount: number[] = [];
    const pairs = new Map<string, number>();
    const accounts: string[] = [];
    const currencies: string[] = [];
    for (let i = 0; i < n; i++) {
      const { content: c, hash: h, input, reference } = sealed[i];
      seq[i] = c.seq;
      key[i] = c.idempotencyKey;
      kind[i] = c.kind;
      at[i] = c.occurredAt;
      ref[i] = reference;
      prev[i] = c.prevHash;
      hash[i] = h;
      order[i] = input.orderId ?? null;
      const postings = c.postings;
      for (let k = 0; k < postings.length; k++) {
        const p = postings[k];
        const pair = `${p.currency}|${p.account}`;
        let a = pairs.get(pair);
        if (a === undefined) {
          accounts.push(p.account);
          currencies.push(p.currency);
          pairs.set(pair, (a = accounts.length));
        }
        pSeq.push(c.seq);
        pPos.push(k);
        pAccount.push(a);
        pAmount.push(p.amount);
      }
    }
    const ints = (values: number[]) => {
      for (const v of values) if (!Number.isSafeInteger(v)) throw new LedgerError(`not a whole number: ${v}`);
      return `{${values.join(',')}}`;
    };
    await query(
      `WITH t AS (
         INSERT INTO ledger_transactions (cooperative_id, seq, idempotency_key, kind, occurred_at, reference, prev_hash, hash, order_id)
         SELECT $1, x.seq, x.key, x.kind, x.at, r.ref, x.prev, x.hash, x.order_id
           FROM unnest($2::int[], $3::varchar[], $4::varchar[], $5::varchar[], $7::char(64)[], $8::char(64)[], $9::uuid[])
                WITH ORDINALITY AS x(seq, key, kind, at, prev, hash, order_id, i)
           JOIN jsonb_array_elements($6::jsonb) WITH ORDINALITY AS r(ref, i) ON r.i = x.i
         RETURNING id, seq
       )
       INSERT INTO ledger_postings (transaction_id, position, account, amount, currency, household_id)
       SELECT t.id, x.position, a.account, x.amount, a.currency, a.household_id
         FROM unnest($10::int[], $11::smallint[], $12::int[], $13::bigint[]) AS x(seq, position, account, amount)
         JOIN t ON t.seq = x.seq
         JOIN unnest($14::varchar[], $15::varchar[], $16::uuid[]) WITH ORDINALITY AS a(account, currency, household_id, i)
           ON a.i = x.account`,
      [
        cooperativeId,
        seq,
        key,
        kind,
        at,
        `[${ref.join(',')}]`, // each the JSON.stringify of a reference
        prev,
        hash,
        order,
        ints(pSeq),
        ints(pPos),
        ints(pAccount),
        ints(pAmount),
        accounts,
        currencies,
        accounts.map((a) => householdOfAccount(a)),
      ],
    );
  }

  /**
   * Appends many entries of one cooperative, each in ITS OWN transaction (committed or not as a whole), fast:
   * holds the chain with a session-level advisory lock for a slice of entries (so the chain head is known without
   * reading it), and sends a slice's transactions in one message (`BEGIN; …; COMMIT;` per entry). Between slices the
   * chain is released, so payments and refunds are never held up for long. If an entry fails, the entries before it
   * stay committed; a refused guard skips just that entry; any other error is thrown after the chain is released
   * (the caller resumes later: committed entries are never written twice).
   * Commits are asynchronous (synchronous_commit off, per transaction): a crash loses at most the last moments'
   * entries, whole and in order, and a resumed run writes them again.
   */
  async appendEach(cooperativeId: string, entries: readonly SeriesEntry[], sliceSize = 100): Promise<SeriesResult> {
    const result: SeriesResult = { appended: new Set(), refused: new Set(), existing: new Set() };
    if (!entries.length) return result;
    const qr = this.db.createQueryRunner();
    const client = (await qr.connect()) as {
      query(text: string): Promise<{ rows: Record<string, unknown>[] } | { rows: Record<string, unknown>[] }[]>;
    };
    const rows = async (text: string) => {
      const r = await client.query(text);
      return (Array.isArray(r) ? r[r.length - 1] : r).rows;
    };
    const lockKey = `hashtextextended(${escapeLiteral(`ledger:${cooperativeId}`)}, 0)`;
    const head = async () => {
      const [last] = (await rows(
        `SELECT seq, hash FROM ledger_transactions WHERE cooperative_id = ${escapeLiteral(cooperativeId)}::uuid ORDER BY seq DESC LIMIT 1`,
      )) as {
        seq: number;
        hash: string;
      }[];
      return last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
    };
    try {
      let i = 0;
      while (i < entries.length) {
        const slice = entries.slice(i, i + sliceSize);
        await rows(`SELECT pg_advisory_lock(${lockKey})`);
        try {
          const recorded = new Set(
            (
              (await rows(
                `SELECT idempotency_key FROM ledger_transactions WHERE idempotency_key IN (${slice.map((e) => escapeLiteral(e.input.idempotencyKey)).join(', ')})`,
              )) as { idempotency_key: string }[]
            ).map((r) => r.idempotency_key),
          );
          let at = await head();
          const built: { entry: SeriesEntry; index: number; hash: string; sql: string }[] = [];
          slice.forEach((entry, k) => {
            if (recorded.has(entry.input.idempotencyKey)) return void result.existing.add(entry.input.idempotencyKey);
            const { content, hash, sql } = this.entrySql(entry, at);
            at = { seq: content.seq, hash };
            built.push({ entry, index: i + k, hash, sql });
          });
          try {
            if (built.length) await client.query(built.map((b) => b.sql).join('\n'));
            for (const b of built) result.appended.add(b.entry.input.idempotencyKey);
            i += slice.length;
          } catch (e) {
            await client.query('ROLLBACK').catch(() => undefined);
            const now = await head();
            const committed = built.findIndex((b) => b.hash === now.hash) + 1; // 0 when none of this slice committed
            for (const b of built.slice(0, committed)) result.appended.add(b.entry.input.idempotencyKey);
            const failed = built[committed];
            if (!failed || (e as { code?: string }).code !== GUARD_REFUSED) throw e;
            result.refused.add(failed.entry.input.idempotencyKey);
            i = failed.index + 1;
          }
        } finally {
          await rows(`SELECT pg_advisory_unlock(${lockKey})`).catch(() => undefined);
        }
      }
      return result;
    } finally {
      // never hand the pool a connection that still holds the chain
      await rows('SELECT pg_advisory_unlock_all()').catch(() => undefined);
      await qr.release();
    }
  }

  /** One entry's transaction as SQL text (every value escaped), chained after `prev`. */
  private entrySql(entry: SeriesEntry, prev: { seq: number; hash: string }) {
    const input = entry.input;
    const { content, hash, reference } = sealEntry(input, prev);
    const { occurredAt, postings } = content;
    const lit = escapeLiteral;
    const int = (n: number) => {
      if (!Number.isSafeInteger(n)) throw new LedgerError(`not a whole number: ${n}`);
      return String(n);
    };
    const values = postings
      .map((p, k) => {
        const household = householdOfAccount(p.account);
        return `(${k}, ${lit(p.account)}, ${int(p.amount)}::bigint, ${lit(p.currency)}, ${household ? `${lit(household)}::uuid` : 'NULL::uuid'})`;
      })
      .join(', ');
    const also = (entry.also ?? []).map((a, k) => `, also${k} AS (${a})`).join('');
    const sql = `BEGIN;
SET LOCAL synchronous_commit TO OFF;
WITH g AS (${entry.guard ?? 'SELECT 1'}),
t AS (
  INSERT INTO ledger_transactions (cooperative_id, seq, idempotency_key, kind, occurred_at, reference, prev_hash, hash, order_id)
  SELECT ${lit(content.cooperativeId)}::uuid, ${int(content.seq)}, ${lit(content.idempotencyKey)}, ${lit(content.kind)}, ${lit(occurredAt)}, ${lit(reference)}::jsonb, ${lit(content.prevHash)}, ${lit(hash)}, ${input.orderId ? `${lit(input.orderId)}::uuid` : 'NULL::uuid'}
  FROM (SELECT 1 FROM g LIMIT 1) AS guard RETURNING id
),
p AS (
  INSERT INTO ledger_postings (transaction_id, position, account, amount, currency, household_id)
  SELECT t.id, x.position, x.account, x.amount, x.currency, x.household_id FROM t, (VALUES ${values}) AS x(position, account, amount, currency, household_id)
)${also}
SELECT 1 / (SELECT count(*)::int FROM t) AS written;
COMMIT;`;
    return { content, hash, sql };
  }

  /**
   * Takes the cooperative's chain (an advisory lock held until the caller's transaction ends) and reads, in the
   * same round trip, the transaction already recorded under `key` (if any) and the chain's last link. Sent as two
   * statements in one simple-protocol message: in READ COMMITTED the read takes its snapshot after the lock is
   * granted, so it sees every append committed before.
   */
  private async lockChain(
    m: EntityManager,
    cooperativeId: string,
    key: string,
  ): Promise<(TxRow & { existing: boolean })[]> {
    const coop = escapeLiteral(cooperativeId);
    const client = (await (m.queryRunner as unknown as { connect(): Promise<unknown> }).connect()) as {
      query(text: string): Promise<{ rows: (TxRow & { existing: boolean })[] }[]>;
    };
    const results = await client.query(
      `SELECT pg_advisory_xact_lock(hashtextextended(${escapeLiteral(`ledger:${cooperativeId}`)}, 0));
       (SELECT t.*, true AS existing FROM ledger_transactions t WHERE t.idempotency_key = ${escapeLiteral(key)})
       UNION ALL
       (SELECT t.*, false AS existing FROM ledger_transactions t WHERE t.cooperative_id = ${coop}::uuid ORDER BY t.seq DESC LIMIT 1)`,
    );
    return results[1].rows;
  }

  /** A recorded transaction by its idempotency key, with its postings in hashed order; null when absent. */
  async findByKey(
    m: EntityManager | undefined,
    key: string,
  ): Promise<(LedgerTransaction & { id: string; orderId: string | null }) | null> {
    const mm = m ?? this.db.manager;
    const [row]: TxRow[] = await mm.query('SELECT * FROM ledger_transactions WHERE idempotency_key = $1', [key]);
    return row ? this.withPostings(mm, row) : null;
  }

  /**
   * Balances derived from postings, the only source of truth: every account whose code starts with `prefix`
   * (e.g. `coop:<id>:` or `coop:<id>:household:`), optionally only postings of one cooperative's chain.
   */
  async balances(m: EntityManager | undefined, prefix: string, cooperativeId?: string): Promise<Map<string, number>> {
    const mm = m ?? this.db.manager;
    const like = prefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';
    const rows: { account: string; balance: string }[] = await mm.query(
      cooperativeId
        ? `SELECT p.account, SUM(p.amount)::text AS balance FROM ledger_postings p JOIN ledger_transactions t ON t.id = p.transaction_id
            WHERE p.account LIKE $1 AND t.cooperative_id = $2 GROUP BY p.account`
        : `SELECT account, SUM(amount)::text AS balance FROM ledger_postings WHERE account LIKE $1 GROUP BY account`,
      cooperativeId ? [like, cooperativeId] : [like],
    );
    return new Map(rows.map((r) => [r.account, Number(r.balance)]));
  }

  async balance(m: EntityManager | undefined, account: string, cooperativeId?: string): Promise<number> {
    const mm = m ?? this.db.manager;
    const [row]: { balance: string | null }[] = await mm.query(
      cooperativeId
        ? `SELECT SUM(p.amount)::text AS balance FROM ledger_postings p JOIN ledger_transactions t ON t.id = p.transaction_id WHERE p.account = $1 AND t.cooperative_id = $2`
        : 'SELECT SUM(amount)::text AS balance FROM ledger_postings WHERE account = $1',
      cooperativeId ? [account, cooperativeId] : [account],
    );
    return Number(row?.balance ?? 0);
  }

  private async withPostings(
    m: EntityManager,
    row: TxRow,
  ): Promise<LedgerTransaction & { id: string; orderId: string | null }> {
    const postings: { account: string; amount: string; currency: 'CNY' }[] = await m.query(
      'SELECT account, amount::text AS amount, currency FROM ledger_postings WHERE transaction_id = $1 ORDER BY position',
      [row.id],
    );
    return {
      id: row.id,
      orderId: row.order_id,
      cooperativeId: row.cooperative_id,
      seq: row.seq,
      idempotencyKey: row.idempotency_key,
      kind: row.kind,
      occurredAt: row.occurred_at,
      reference: row.reference,
      postings: postings.map((p) => ({ account: p.account, amount: Number(p.amount), currency: p.currency })),
      prevHash: row.prev_hash,
      hash: row.hash,
    };
  }
}

/** One entry checked and hashed as a link of its chain; `reference` is its reference as JSON text (stored as jsonb). */
export interface SealedEntry {
  input: AppendInput;
  content: LedgerTransactionContent;
  hash: string;
  reference: string;
}

/** Checks one entry (balanced, occurredAt ISO-8601 UTC with milliseconds) and seals it as the link after `prev`. */
function sealEntry(input: AppendInput, prev: ChainHead): SealedEntry {
  const postings: Posting[] = input.postings.map((p) => ({
    account: p.account,
    amount: p.amount,
    currency: p.currency ?? 'CNY',
  }));
  assertBalanced(postings);
  const occurredAt =
    input.occurredAt instanceof Date ? input.occurredAt.toISOString() : (input.occurredAt ?? new Date().toISOString());
  if (!ISO_MS.test(occurredAt))
    throw new LedgerError(`occurredAt must be ISO-8601 UTC with milliseconds, got ${occurredAt}`);
  const content: LedgerTransactionContent = {
    cooperativeId: input.cooperativeId,
    seq: prev.seq + 1,
    idempotencyKey: input.idempotencyKey,
    kind: input.kind,
    occurredAt,
    reference: input.reference,
    postings,
    prevHash: prev.hash,
  };
  const hash = prev.seq < 0 ? '' : transactionHash(content, nodeHasher);
  return { input, content, hash, reference: JSON.stringify(input.reference) };
}

/** The same entry (same occurredAt and content) as the link after `prev`. */
function relink(s: SealedEntry, prev: ChainHead): SealedEntry {
  const content = { ...s.content, seq: prev.seq + 1, prevHash: prev.hash };
  return { ...s, content, hash: transactionHash(content, nodeHasher) };
}
