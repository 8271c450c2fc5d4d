/**
 * 乡播 ledger verifier — needs only Node (≥ 18) and the export file:
 *   node verify-ledger.cjs ledger.jsonl [--head SEQ:HASH]… [--previous OLDER.jsonl]…
 *   (or, in this repo: npm run verify-ledger -- ledger.jsonl …)
 * Recomputes the hash chain, every transaction's balance, every account balance, every settlement's split against
 * its policy version and the money rules (docs/ledger.md), and checks the chain against published heads and older
 * exports. Exit 0 when everything holds; exit 1 listing every entry that breaks (line, seq, idempotency key).
 *
 * A large export is read in big chunks (cut at line ends) and its transaction lines are checked by worker threads
 * (this same file), one chunk each, in parallel: a transaction's hash, balance and split need only its own line
 * and the policies, and each chunk's first transaction is linked to the previous chunk's last when the results are
 * taken, in file order (`LedgerVerifier.merge`). Every other line (header, policies, balances, footer, a line that
 * is not JSON…) is taken by the main thread itself, in order, and so are the money rules, from the facts each
 * chunk sends back; a chunk with a break is checked again line by line on the main thread, so the verdict and
 * the list of breaks are exactly those of checking the lines one by one.
 *
 * Lines are handed over as bytes (`pushBytes`): a transaction line in the layout the export writes
 * (`transactionLine`) is checked from its bytes, its content hashed as it stands; anything else, and any line with
 * a problem, is decoded, parsed and checked the reference way, which names the problem (docs/ledger.md).
 */
import * as crypto from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, read } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import {
  type ByteTools,
  type ExpectedHead,
  fenToYuanString,
  type Hasher,
  LedgerVerifier,
  MAX_BREAKS,
  parseHeadArgument,
  type VerifyResult,
  type RunContext,
  TransactionRun,
  type TransactionRunResult,
} from '@xiangbo/domain';

/** SHA-256 (hex) of a string's UTF-8: the one-shot crypto.hash where Node has it (≥ 20.12), else createHash. */
const sha256: Hasher =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (canonical) => crypto.hash('sha256', canonical, 'hex')
    : (canonical) => crypto.createHash('sha256').update(canonical, 'utf8').digest('hex');

/** The same over bytes, and Buffer's UTF-8 decoding, for lines taken as bytes (`pushBytes`). */
const bytes: ByteTools = {
  sha256:
    typeof (crypto as { hash?: unknown }).hash === 'function'
      ? (b, start, end) => crypto.hash('sha256', new Uint8Array(b.buffer, b.byteOffset + start, end - start), 'hex')
      : (b, start, end) => crypto.createHash('sha256').update(b.subarray(start, end)).digest('hex'),
  utf8: (b, start, end) =>
    (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength)).toString('utf8', start, end),
};

/**
 * Bytes read at a time (one worker's job); files smaller than PARALLEL_FROM are checked on the main thread alone.
 * VERIFY_LEDGER_CHUNK_BYTES sets another chunk size (tests use tiny ones to take the parallel path on small files).
 */
const CHUNK = Math.max(1, Number(process.env.VERIFY_LEDGER_CHUNK_BYTES) || 8 << 20);
const PARALLEL_FROM = 4 * CHUNK;
/** The first bytes (header and policies) are always taken by the main thread before any chunk is handed out. */
const HEAD = Math.min(1 << 16, CHUNK);

/**
 * The lines of buf[from, to), as readline splits them (LF, CRLF and a lone CR end a line; no empty line after the
 * last line end): where each begins and ends (its line end excluded).
 */
function forEachLine(buf: Buffer, from: number, to: number, take: (start: number, end: number) => boolean): void {
  const hasCR = buf.indexOf(13, from) !== -1 && buf.indexOf(13, from) < to;
  let at = from;
  while (at < to) {
    let end = buf.indexOf(10, at);
    if (end === -1 || end >= to) end = to;
    const next = end + 1;
    if (!hasCR) {
      if (!take(at, end)) return;
    } else {
      let stop = end;
      if (stop > at && buf[stop - 1] === 13 && end < to) stop--; // CRLF
      let start = at;
      for (;;) {
        let cr = buf.indexOf(13, start);
        if (cr === -1 || cr >= stop) cr = stop;
        if (!take(start, cr)) return;
        if (cr >= stop) break;
        start = cr + 1;
      }
    }
    at = next;
  }
}

// ---- worker -------------------------------------------------------------------------------------------------

interface Job {
  id: number;
  version: number;
  context: RunContext;
  buffer: ArrayBuffer;
  length: number;
}

interface JobResult {
  id: number;
  version: number;
  buffer: ArrayBuffer;
  length: number;
  run: TransactionRunResult;
  /** Lines in the chunk when the run took them all; else where the line it stopped at begins. */
  lines: number;
  stopped: { line: number; offset: number } | null;
}

function work(job: Job): JobResult {
  const buf = Buffer.from(job.buffer, 0, job.length);
  const run = new TransactionRun(job.context, sha256, bytes);
  let line = 0;
  let stopped: JobResult['stopped'] = null;
  forEachLine(buf, 0, job.length, (start, end) => {
    line++;
    const r = run.pushBytes(buf, start, end, line);
    if (r === 'ok') return true;
    if (r === 'stop') stopped = { line, offset: start };
    return false;
  });
  return {
    id: job.id,
    version: job.version,
    buffer: job.buffer,
    length: job.length,
    run: run.result(),
    lines: line,
    stopped,
  };
}

// ---- main thread --------------------------------------------------------------------------------------------

function readAt(fd: number, buf: Buffer, offset: number, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) =>
    read(fd, buf, offset, length, position, (e, n) => (e ? reject(e) : resolve(n))),
  );
}

/** The file in chunks that end at a line end (the last one at the end of the file), each in its own ArrayBuffer. */
/** ArrayBuffers the workers gave back, to read the next chunks into (fresh memory costs a page fault per page). */
const spare: ArrayBuffer[] = [];

function bufferOf(size: number): Buffer {
  const reuse = spare.pop();
  if (reuse && reuse.byteLength >= size) return Buffer.from(reuse, 0, size);
  return Buffer.allocUnsafeSlow(Math.max(size, CHUNK + (CHUNK >> 3)));
}

async function* chunks(fd: number, first: number): AsyncGenerator<Buffer> {
  let carry = Buffer.alloc(0);
  let position = 0;
  let size = first;
  for (;;) {
    const buf = bufferOf(carry.length + size);
    carry.copy(buf, 0);
    const n = await readAt(fd, buf, carry.length, size, position);
    position += n;
    const filled = carry.length + n;
    if (n === 0) {
      if (filled) yield buf.subarray(0, filled);
      return;
    }
    const last = buf.lastIndexOf(10, filled - 1);
    if (last === -1) {
      carry = Buffer.from(buf.subarray(0, filled)); // one line longer than a chunk: read on
    } else {
      carry = Buffer.from(buf.subarray(last + 1, filled));
      yield buf.subarray(0, last + 1);
    }
    size = CHUNK;
  }
}

async function verify(file: string, verifier: LedgerVerifier): Promise<void> {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    let lineNo = 0;
    /** Lines pushed one by one, in order (the main thread's share). */
    const sequential = (buf: Buffer, from: number, to: number) =>
      forEachLine(buf, from, to, (start, end) => {
        verifier.pushBytes(buf, start, end, ++lineNo);
        return !verifier.full;
      });

    const threads =
      size >= PARALLEL_FROM
        ? Math.max(1, Math.min(8, typeof availableParallelism === 'function' ? availableParallelism() : cpus().length))
        : 0;
    if (!threads) {
      for await (const buf of chunks(fd, CHUNK)) {
        sequential(buf, 0, buf.length);
        if (verifier.full) return;
      }
      return;
    }

    // A larger young generation: each line makes short-lived objects only, and fewer scavenges copy less.
    const workers = Array.from(
      { length: threads },
      () => new Worker(__filename, { resourceLimits: { maxYoungGenerationSizeMb: 48 } }),
    );
    const waiting = new Map<number, { resolve: (r: JobResult) => void; reject: (e: unknown) => void }>();
    for (const w of workers) {
      w.on('message', (r: JobResult) => {
        const p = waiting.get(r.id);
        waiting.delete(r.id);
        p?.resolve(r);
      });
      w.on('error', (e) => {
        for (const p of waiting.values()) p.reject(e);
        waiting.clear();
      });
    }
    let ids = 0;
    const dispatch = (buf: Buffer): Promise<JobResult> => {
      const job: Job = {
        id: ids++,
        version: verifier.contextVersion,
        context: verifier.runContext(),
        buffer: buf.buffer as ArrayBuffer,
        length: buf.length,
      };
      return new Promise<JobResult>((resolve, reject) => {
        waiting.set(job.id, { resolve, reject });
        workers[job.id % workers.length].postMessage(job, [job.buffer]);
      });
    };
    try {
      const source = chunks(fd, HEAD);
      const head = await source.next();
      if (head.done) return;
      sequential(head.value, 0, head.value.length);
      const pending: Promise<JobResult>[] = [];
      let more = true;
      while (!verifier.full) {
        while (more && pending.length < 2 * threads) {
          const next = await source.next();
          if (next.done) more = false;
          else pending.push(dispatch(next.value));
        }
        const job = pending.shift();
        if (!job) break;
        const r = await job;
        const buf = Buffer.from(r.buffer, 0, r.length);
        if (r.version !== verifier.contextVersion || !verifier.canMerge(r.run)) {
          // checked with policies it did not know, after the footer, a run that broke (its lines are pushed to list
          // every break), or with sums beyond the safe integers (which could round otherwise than line by line):
          // here, in order
          sequential(buf, 0, r.length);
        } else {
          verifier.merge(r.run, lineNo);
          if (r.stopped) {
            lineNo += r.stopped.line - 1;
            sequential(buf, r.stopped.offset, r.length);
          } else lineNo += r.lines;
        }
        spare.push(r.buffer);
      }
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
  } finally {
    closeSync(fd);
  }
}

const USAGE = `usage: verify-ledger <export.jsonl> [--head SEQ:HASH]… [--previous OLDER.jsonl]…
  --head SEQ:HASH      a published head (GET /api/cooperatives/:id/ledger/head): the export must hold transaction
                       SEQ with that hash; the last --head given is the newest, so the export must end there
  --previous FILE      an older export of the same cooperative: verified too, and it must be a prefix of this one`;

function parseArguments(argv: string[]): { file: string; heads: ExpectedHead[]; previous: string[] } {
  const heads: ExpectedHead[] = [];
  const previous: string[] = [];
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (name: string) => {
      const eq = a.indexOf('=');
      if (eq !== -1) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value\n${USAGE}`);
      return v;
    };
    if (a === '--head' || a.startsWith('--head=')) heads.push(parseHeadArgument(value('--head')));
    else if (a === '--previous' || a.startsWith('--previous=')) previous.push(value('--previous'));
    else if (a === '--help' || a === '-h') throw new Error(USAGE);
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}\n${USAGE}`);
    else if (file === undefined) file = a;
    else throw new Error(`one export at a time\n${USAGE}`);
  }
  if (!file) throw new Error(USAGE);
  for (const f of [file, ...previous]) if (!existsSync(f)) throw new Error(`no such file: ${f}\n${USAGE}`);
  return { file, heads, previous };
}

const STATUS_LABELS: Record<string, string> = {
  registered: 'registered 建档立卡',
  monitored: 'monitored 监测',
  lifted: 'lifted 已脱贫',
  none: 'none 一般',
  unrecorded: 'not recorded (older entries)',
};

/**
 * Per registry status at the time of each credit (docs/ledger.md, "Dividend inputs and registry status"): what
 * reached households, what reversals took back, what was paid out (first in, first out) and what is still owed.
 */
function printRegistry(result: VerifyResult): void {
  const rows = result.registry.rows.filter((r) => r.creditedFen || r.reversedFen || r.paidOutFen);
  if (!rows.length) return;
  const y = (fen: number) => `¥${fenToYuanString(fen)}`;
  console.log('By registry status (at the time of each credit): credited, reversed, paid out, still owed:');
  for (const r of rows)
    console.log(
      `  ${STATUS_LABELS[r.status].padEnd(30)} credited ${y(r.creditedFen)} (${r.creditedFen} fen); reversed ${y(r.reversedFen)}; paid out ${y(r.paidOutFen)} (${r.paidOutFen} fen); still owed ${y(r.owedFen)}.`,
    );
  console.log(
    '  Confirmations of receipt by households are not in the export (recorded after the payout; the ledger is append-only): see the payouts sheet.',
  );
}

function printBreaks(label: string, result: VerifyResult): void {
  for (const e of result.breaks)
    console.error(
      `${label}BROKEN at line ${e.line}${e.seq !== undefined ? ` (transaction #${e.seq}${e.idempotencyKey !== undefined ? `, ${e.idempotencyKey}` : ''})` : ''}: ${e.message}`,
    );
  if (result.truncated) console.error(`${label}… and more: only the first ${MAX_BREAKS} breaks are listed.`);
}

async function main() {
  let args: ReturnType<typeof parseArguments>;
  try {
    args = parseArguments(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  const started = process.hrtime.bigint();
  let brokenPrevious = false;
  const prefixes: ExpectedHead[] = [];
  for (const older of args.previous) {
    const v = new LedgerVerifier(sha256, bytes);
    await verify(older, v);
    const r = v.finish();
    if (!r.ok) {
      printBreaks(`${older}: `, r);
      brokenPrevious = true;
    }
    // the older export's end must be in this one: by the hash chain, then every entry before it is too
    if (r.transactions > 0) prefixes.push({ seq: r.transactions, hash: r.lastHash });
  }
  const verifier = new LedgerVerifier(sha256, bytes);
  for (const h of prefixes) verifier.expectHead(h);
  args.heads.forEach((h, i) => verifier.expectHead(h, i === args.heads.length - 1));
  await verify(args.file, verifier);
  const result = verifier.finish();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (!result.ok) {
    printBreaks('', result);
    console.error(
      `${result.breaks.length}${result.truncated ? '+' : ''} break(s) in ${result.transactions} transactions.`,
    );
    process.exit(1);
  }
  if (brokenPrevious) {
    console.error('The older export does not verify (above); this one does.');
    process.exit(1);
  }
  console.log(
    `OK: ${result.transactions} transactions, hash chain intact (last ${result.lastHash}), every transaction balances, every split follows its policy, every money rule holds.`,
  );
  if (args.heads.length || prefixes.length)
    console.log(
      `Matches ${args.heads.length} published head(s)${args.heads.length ? ` (ends at #${args.heads[args.heads.length - 1].seq})` : ''} and ${prefixes.length} older export(s).`,
    );
  else console.log(`Head: ${result.transactions}:${result.lastHash} (compare with the published head).`);
  const households = Object.entries(result.balances).filter(([a]) => /:household:.+:payable$/.test(a));
  const owed = households.reduce((s, [, v]) => s - v, 0);
  console.log(
    `Households with a payable account: ${households.length}; still owed to them: ¥${fenToYuanString(owed)}.`,
  );
  printRegistry(result);
  console.log(`Verified in ${ms.toFixed(0)} ms.`);
}

if (isMainThread) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  });
} else {
  parentPort?.on('message', (job: Job) => {
    const r = work(job);
    parentPort?.postMessage(r, [r.buffer]);
  });
}
