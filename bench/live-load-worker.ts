/**
 * Load generator process (forked by bench/live-fanout.ts and bench/live-deal.ts): holds thousands of raw
 * socket.io viewers, timestamps what they receive, and computes latencies locally at the end, so the
 * benchmark's own bookkeeping never runs in the measured server process.
 */
import { WireClient, connectWire } from './live-wire';

interface Receipt {
  kind: number; // 0 = pin, 1 = stock
  seq: number;
  t: number;
}

const HIST_MS = 60_000;
let clients: WireClient[] = [];
let receipts: Receipt[][] = [];
let messages = 0;
let counting = false;
let productSeq = new Map<string, number>();
let stockProduct = '';
let stock0 = 0;
const states = { n: 0 };

function record(i: number, kind: number, seq: number) {
  if (counting) receipts[i].push({ kind, seq, t: Date.now() });
}

function onEvent(i: number) {
  return (name: string, data: unknown) => {
    if (counting) messages++;
    const d = data as Record<string, unknown>;
    if (name === 'show:state') {
      states.n++;
      return;
    }
    if (name === 'show:patch' || name === 'pin:changed') {
      const pin = d.pin as { productId?: string } | null | undefined;
      if (pin?.productId && productSeq.has(pin.productId)) record(i, 0, productSeq.get(pin.productId) as number);
    }
    if (name === 'show:patch') {
      const stock = (d.stock as Record<string, number> | undefined)?.[stockProduct];
      if (stock !== undefined) record(i, 1, stock0 - stock);
    }
    if (name === 'stock:changed' && d.productId === stockProduct) record(i, 1, stock0 - (d.stock as number));
  };
}

let retries = 0;

/** Like a real client: a refused or reset connection is tried again (up to 5 times, backing off). */
async function connectRetrying(
  url: string,
  auth: Record<string, unknown>,
  handler: (name: string, data: unknown) => void,
): Promise<WireClient> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await connectWire(url, '/live', auth, handler);
    } catch (e) {
      if (
        attempt >= 5 ||
        !/ECONNRESET|ECONNREFUSED|closed|socket hang up|Unexpected server response/.test((e as Error).message)
      )
        throw e;
      retries++;
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt + Math.random() * 200));
    }
  }
}

type Msg =
  | { cmd: 'config'; products: string[]; stockProduct: string; stock0: number }
  | { cmd: 'connect'; urls: string[]; auths: Record<string, unknown>[]; perSecond: number }
  | { cmd: 'count'; on: boolean }
  | { cmd: 'states' }
  | { cmd: 'collect'; pinSentAt: (number | null)[]; stockSentAt: (number | null)[]; pinFrom: number; stockFrom: number }
  | { cmd: 'buy'; dealId: string; quantity: number }
  | { cmd: 'close' };

const reply = (m: unknown) => process.send?.(m);

process.on('message', async (m: Msg) => {
  if (m.cmd === 'config') {
    productSeq = new Map(m.products.map((p, i) => [p, i]));
    stockProduct = m.stockProduct;
    stock0 = m.stock0;
    reply({ ok: true });
  } else if (m.cmd === 'connect') {
    const start = clients.length;
    let failed = 0;
    const reasons = new Map<string, number>();
    const pending: Promise<void>[] = [];
    const gap = 1000 / m.perSecond;
    for (let k = 0; k < m.auths.length; k++) {
      const i = start + k;
      receipts[i] = [];
      pending.push(
        connectRetrying(m.urls[k % m.urls.length], m.auths[k], onEvent(i)).then(
          (c) => void (clients[i] = c),
          (e: Error) => {
            failed++;
            reasons.set(e.message.slice(0, 80), (reasons.get(e.message.slice(0, 80)) ?? 0) + 1);
          },
        ),
      );
      if (gap >= 1) await new Promise((r) => setTimeout(r, gap));
    }
    await Promise.all(pending);
    clients = clients.filter(Boolean);
    reply({ connected: clients.length, failed, retries, reasons: Object.fromEntries(reasons), states: states.n });
  } else if (m.cmd === 'states') {
    reply({ states: states.n, connected: clients.length });
  } else if (m.cmd === 'count') {
    if (m.on) {
      messages = 0;
      for (let i = 0; i < receipts.length; i++) receipts[i] = [];
    }
    counting = m.on;
    reply({ ok: true, states: states.n });
  } else if (m.cmd === 'collect') {
    const hist = new Uint32Array(HIST_MS + 1);
    const byKind = [new Uint32Array(HIST_MS + 1), new Uint32Array(HIST_MS + 1)];
    let covered = 0;
    let expected = 0;
    const pinsInWindow = m.pinSentAt.map((t, s) => (t !== null && s >= m.pinFrom ? s : -1)).filter((s) => s >= 0);
    const stockInWindow = m.stockSentAt.map((t, s) => (t !== null && s >= m.stockFrom ? s : -1)).filter((s) => s >= 0);
    for (const list of receipts) {
      if (!list) continue;
      expected += pinsInWindow.length + stockInWindow.length;
      const last = [m.pinFrom - 1, m.stockFrom - 1];
      for (const r of list) {
        const sent = r.kind === 0 ? m.pinSentAt : m.stockSentAt;
        // every update up to this one is now on the viewer's screen (superseded values count as delivered)
        for (let u = last[r.kind] + 1; u <= r.seq; u++) {
          const at = sent[u];
          if (at === null || at === undefined) continue;
          covered++;
          const ms = Math.min(HIST_MS, Math.max(0, r.t - at));
          hist[ms]++;
          byKind[r.kind][ms]++;
        }
        last[r.kind] = Math.max(last[r.kind], r.seq);
      }
    }
    reply({
      hist: Array.from(hist),
      pinHist: Array.from(byKind[0]),
      stockHist: Array.from(byKind[1]),
      covered,
      expected,
      messages,
    });
  } else if (m.cmd === 'buy') {
    const t0 = Date.now();
    const results = await Promise.all(
      clients.map(
        (c) =>
          new Promise<{ ok: boolean; code?: string; ms: number; at: number }>((resolve) => {
            const sent = Date.now();
            c.emit('deal:buy', { dealId: m.dealId, quantity: m.quantity }, (r) => {
              const now = Date.now();
              const res = r as { ok: boolean; code?: string };
              resolve({ ok: res.ok, code: res.code, ms: now - sent, at: now - t0 });
            });
          }),
      ),
    );
    reply({ t0, results });
  } else if (m.cmd === 'close') {
    for (const c of clients) c.close();
    clients = [];
    receipts = [];
    states.n = 0;
    reply({ ok: true });
  }
});
reply({ ready: true });
