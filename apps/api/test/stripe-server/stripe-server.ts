import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Stripe from 'stripe';
import { FormValue, parseForm } from './form';

/**
 * A small Stripe-compatible server for offline tests: the real `stripe` SDK is pointed at it
 * (STRIPE_API_BASE → host/port/protocol). It implements what StripeProvider uses, with objects shaped on
 * Stripe's published fixtures (fixtures.json, from stripe/openapi `fixtures3.json`, MIT: LICENSE.stripe-openapi)
 * and our amounts, currency, statuses, metadata and ids. What a buyer or Stripe would do outside the API
 * (pay, fail, refund in the dashboard, dispute) are plain methods; `event()` + `sign()` build signed webhooks.
 */
type Obj = Record<string, unknown> & { id: string };

export interface RecordedRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  params: Record<string, FormValue>;
  replayed: boolean;
}

const FIXTURES = JSON.parse(readFileSync(join(__dirname, 'fixtures.json'), 'utf8')) as Record<string, Obj>;

class StripeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: { type: string; code?: string; message: string; param?: string },
  ) {
    super(body.message);
  }
}

const clone = <T>(v: T): T => structuredClone(v);
const now = () => Math.floor(Date.now() / 1000);
const randomId = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'X')}`;
const missing = (kind: string, id: string, param = 'id') =>
  new StripeHttpError(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    param,
    message: `No such ${kind}: '${id}'`,
  });

export class StripeTestServer {
  readonly secretKey = 'sk_test_xiangbo_offline_0000000000';
  readonly publishableKey = 'pk_test_xiangbo_offline_0000000000';
  readonly webhookSecret = 'whsec_xiangbo_offline_test_secret';
  readonly paymentIntents = new Map<string, Obj>();
  readonly charges = new Map<string, Obj>();
  readonly balanceTransactions = new Map<string, Obj>();
  readonly refunds = new Map<string, Obj>();
  readonly disputes = new Map<string, Obj>();
  readonly requests: RecordedRequest[] = [];
  private readonly idempotent = new Map<string, { fingerprint: string; status: number; body: string }>();
  private server!: Server;
  url = '';

  static async start(): Promise<StripeTestServer> {
    const s = new StripeTestServer();
    s.server = createServer((req, res) => void s.handle(req, res));
    await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
    s.url = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
    return s;
  }

  /** The API's environment for this server. */
  env(): Record<string, string> {
    return {
      STRIPE_SECRET_KEY: this.secretKey,
      STRIPE_WEBHOOK_SECRET: this.webhookSecret,
      STRIPE_PUBLISHABLE_KEY: this.publishableKey,
      STRIPE_API_BASE: this.url,
    };
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  // ---- what happens outside our API ---------------------------------------------------------------------

  /** The buyer pays: a succeeded charge with a balance transaction carrying Stripe's fee. */
  succeed(
    piId: string,
    opts: { fee?: number; method?: 'card' | 'alipay' | 'wechat_pay'; settlementCurrency?: string } = {},
  ) {
    const pi = this.pi(piId);
    const amount = pi.amount as number;
    const currency = pi.currency as string;
    const chargeId = randomId('ch');
    const fee = opts.fee ?? 0;
    const txn = this.balanceTransaction({
      amount,
      currency: opts.settlementCurrency ?? currency,
      fee,
      source: chargeId,
      type: 'charge',
      reporting_category: 'charge',
      description: pi.description,
    });
    const method = opts.method ?? 'card';
    const charge = this.charge(chargeId, pi, {
      amount_captured: amount,
      balance_transaction: txn.id,
      captured: true,
      paid: true,
      status: 'succeeded',
      payment_method_details: { type: method, [method]: method === 'card' ? { brand: 'visa', last4: '4242' } : {} },
    });
    Object.assign(pi, {
      status: 'succeeded',
      amount_received: amount,
      latest_charge: charge.id,
      last_payment_error: null,
      payment_method: charge.payment_method,
    });
    return { paymentIntent: clone(pi), charge: clone(charge) };
  }

  /** The buyer's payment attempt is declined: the intent goes back to requires_payment_method with the error. */
  fail(piId: string, message = 'Your card was declined.') {
    const pi = this.pi(piId);
    const charge = this.charge(randomId('ch'), pi, {
      status: 'failed',
      paid: false,
      failure_code: 'card_declined',
      failure_message: message,
      payment_method_details: { type: 'card', card: { brand: 'visa', last4: '0002' } },
    });
    Object.assign(pi, {
      status: 'requires_payment_method',
      latest_charge: charge.id,
      last_payment_error: {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'generic_decline',
        message,
        charge: charge.id,
      },
    });
    return { paymentIntent: clone(pi), charge: clone(charge) };
  }

  /** A refund made at Stripe (dashboard), or the effect of POST /v1/refunds. */
  refund(piId: string, amount?: number, extra: Record<string, unknown> = {}) {
    const pi = this.pi(piId);
    const charge = pi.latest_charge ? this.charges.get(pi.latest_charge as string) : undefined;
    if (!charge || charge.status !== 'succeeded') {
      throw new StripeHttpError(400, {
        type: 'invalid_request_error',
        code: 'charge_not_refundable',
        message: `This PaymentIntent (${piId}) does not have a successful charge to refund.`,
      });
    }
    const remaining = (charge.amount as number) - (charge.amount_refunded as number);
    const value = amount ?? remaining;
    if (!Number.isInteger(value) || value <= 0 || value > remaining) {
      throw new StripeHttpError(400, {
        type: 'invalid_request_error',
        code: 'amount_too_large',
        param: 'amount',
        message: `Refund amount (${value}) is greater than unrefunded amount on charge (${remaining})`,
      });
    }
    const refundId = randomId('re');
    const txn = this.balanceTransaction({
      amount: -value,
      currency: charge.currency,
      fee: 0,
      source: refundId,
      type: 'refund',
      reporting_category: 'refund',
      description: 'REFUND FOR CHARGE',
    });
    const refund: Obj = {
      ...clone(FIXTURES.refund),
      id: refundId,
      amount: value,
      balance_transaction: txn.id,
      charge: charge.id,
      created: now(),
      currency: charge.currency,
      metadata: {},
      payment_intent: pi.id,
      reason: null,
      status: 'succeeded',
      ...extra,
    };
    this.refunds.set(refund.id, refund);
    charge.amount_refunded = (charge.amount_refunded as number) + value;
    charge.refunded = charge.amount_refunded === charge.amount;
    const list = charge.refunds as { data: Obj[] };
    list.data = [clone(refund), ...list.data];
    return clone(refund);
  }

  /** The buyer's bank opens a dispute on the payment's charge. */
  dispute(piId: string, reason = 'fraudulent') {
    const pi = this.pi(piId);
    const charge = pi.latest_charge ? this.charges.get(pi.latest_charge as string) : undefined;
    if (!charge) throw new Error(`no charge to dispute on ${piId}`);
    charge.disputed = true;
    const dispute: Obj = {
      ...clone(FIXTURES.dispute),
      id: randomId('du'),
      amount: charge.amount,
      balance_transactions: [],
      charge: charge.id,
      created: now(),
      currency: charge.currency,
      metadata: {},
      payment_intent: pi.id,
      reason,
      status: 'needs_response',
    };
    this.disputes.set(dispute.id, dispute);
    return clone(dispute);
  }

  /** A Stripe Event (shape of the published fixture) carrying a snapshot of `object`. */
  event(type: string, object: Record<string, unknown>, opts: { created?: number; id?: string } = {}): Stripe.Event {
    return {
      ...clone(FIXTURES.event),
      id: opts.id ?? randomId('evt'),
      api_version: Stripe.API_VERSION,
      created: opts.created ?? now(),
      data: { object: clone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: randomId('req'), idempotency_key: null },
      type,
    } as unknown as Stripe.Event;
  }

  /**
   * The body and Stripe-Signature header Stripe would send (pretty-printed JSON, as Stripe does), signed with the
   * SDK's own test helper. `timestamp` in seconds (default now), `secret` to sign with another endpoint's secret.
   */
  sign(event: Stripe.Event | string, opts: { timestamp?: number; secret?: string } = {}) {
    const payload = typeof event === 'string' ? event : JSON.stringify(event, null, 2);
    const signature = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: opts.secret ?? this.webhookSecret,
      timestamp: opts.timestamp ?? now(),
    });
    return { payload, signature };
  }

  /** The PaymentIntent's latest charge as Stripe would return it now. */
  latestCharge(piId: string): Obj {
    const id = this.pi(piId).latest_charge;
    const charge = typeof id === 'string' ? this.charges.get(id) : undefined;
    if (!charge) throw new Error(`${piId} has no charge`);
    return clone(charge);
  }

  /** A PaymentIntent as Stripe would return it now (latest_charge and balance transaction expanded). */
  snapshot(piId: string): Obj {
    return this.expand(this.pi(piId), ['latest_charge.balance_transaction']);
  }

  // ---- HTTP -------------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const params =
      method === 'GET' || method === 'DELETE'
        ? parseForm(url.search.slice(1))
        : parseForm(Buffer.concat(chunks).toString('utf8'));
    const idempotencyKey = header(req, 'idempotency-key');
    const entry: RecordedRequest = { method, path: url.pathname, idempotencyKey, params, replayed: false };
    this.requests.push(entry);
    const send = (status: number, body: string, replayed = false) => {
      res.writeHead(status, {
        'Content-Type': 'application/json',
        'Request-Id': randomId('req'),
        'Stripe-Version': Stripe.API_VERSION,
        ...(replayed ? { 'Idempotent-Replayed': 'true' } : {}),
        ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}),
      });
      res.end(body);
    };

    if (header(req, 'authorization') !== `Bearer ${this.secretKey}`) {
      return send(
        401,
        JSON.stringify({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } }),
      );
    }
    const fingerprint = `${method} ${url.pathname} ${JSON.stringify(params)}`;
    if (method === 'POST' && idempotencyKey) {
      const previous = this.idempotent.get(idempotencyKey);
      if (previous && previous.fingerprint !== fingerprint) {
        return send(
          400,
          JSON.stringify({
            error: {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
            },
          }),
        );
      }
      if (previous) {
        entry.replayed = true;
        return send(previous.status, previous.body, true);
      }
    }
    let status = 200;
    let body: string;
    try {
      body = JSON.stringify(this.route(method, url.pathname, params));
    } catch (e) {
      if (!(e instanceof StripeHttpError)) throw e;
      status = e.status;
      body = JSON.stringify({ error: e.body });
    }
    // Stripe stores the first answer to a key, errors included (except 5xx and 429).
    if (method === 'POST' && idempotencyKey) this.idempotent.set(idempotencyKey, { fingerprint, status, body });
    send(status, body);
  }

  private route(method: string, path: string, p: Record<string, FormValue>): unknown {
    const expand = Array.isArray(p.expand) ? (p.expand as string[]) : [];
    let m: RegExpMatchArray | null;
    if (method === 'POST' && path === '/v1/payment_intents') return this.expand(this.createPaymentIntent(p), expand);
    if (method === 'GET' && (m = path.match(/^\/v1\/payment_intents\/([^/]+)$/)))
      return this.expand(this.pi(m[1]), expand);
    if (method === 'POST' && (m = path.match(/^\/v1\/payment_intents\/([^/]+)\/cancel$/))) {
      return this.expand(this.cancelPaymentIntent(m[1], p), expand);
    }
    if (method === 'POST' && path === '/v1/refunds') return this.expand(this.createRefund(p), expand);
    if (method === 'GET' && (m = path.match(/^\/v1\/charges\/([^/]+)$/))) {
      const charge = this.charges.get(m[1]);
      if (!charge) throw missing('charge', m[1]);
      return this.expand(charge, expand);
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/disputes\/([^/]+)$/))) {
      const dispute = this.disputes.get(m[1]);
      if (!dispute) throw missing('dispute', m[1], 'dispute');
      return this.expand(dispute, expand);
    }
    throw new StripeHttpError(404, {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${method}: ${path}). This test server implements only what StripeProvider uses.`,
    });
  }

  private createPaymentIntent(p: Record<string, FormValue>): Obj {
    const amount = Number(p.amount);
    if (!Number.isInteger(amount) || amount < 1) {
      throw new StripeHttpError(400, {
        type: 'invalid_request_error',
        code: 'parameter_invalid_integer',
        param: 'amount',
        message: 'Invalid integer: amount',
      });
    }
    if (typeof p.currency !== 'string' || !p.currency) {
      throw new StripeHttpError(400, {
        type: 'invalid_request_error',
        code: 'parameter_missing',
        param: 'currency',
        message: 'Missing required param: currency.',
      });
    }
    const id = randomId('pi');
    const automatic = (p.automatic_payment_methods as Record<string, string> | undefined)?.enabled === 'true';
    const pi: Obj = {
      ...clone(FIXTURES.payment_intent),
      id,
      amount,
      amount_capturable: 0,
      amount_details: { tip: {} },
      amount_received: 0,
      automatic_payment_methods: automatic ? { enabled: true } : null,
      canceled_at: null,
      cancellation_reason: null,
      client_secret: `${id}_secret_${randomBytes(12).toString('hex')}`,
      created: now(),
      currency: p.currency,
      description: (p.description as string | undefined) ?? null,
      last_payment_error: null,
      latest_charge: null,
      metadata: (p.metadata as Record<string, string> | undefined) ?? {},
      next_action: null,
      payment_method: null,
      payment_method_configuration_details: automatic ? { id: 'pmc_xiangbo_offline', parent: null } : null,
      payment_method_options: (p.payment_method_options as Record<string, unknown> | undefined) ?? {},
      // What an account with card, Alipay and WeChat Pay enabled offers for CNY.
      payment_method_types: automatic
        ? ['card', 'alipay', 'wechat_pay']
        : ((p.payment_method_types as string[] | undefined) ?? ['card']),
      processing: null,
      shipping: null,
      status: 'requires_payment_method',
      transfer_data: null,
    };
    this.paymentIntents.set(id, pi);
    return pi;
  }

  private cancelPaymentIntent(id: string, p: Record<string, FormValue>): Obj {
    const pi = this.pi(id);
    if (pi.status === 'succeeded' || pi.status === 'canceled') {
      throw new StripeHttpError(400, {
        type: 'invalid_request_error',
        code: 'payment_intent_unexpected_state',
        message: `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.`,
      });
    }
    Object.assign(pi, {
      status: 'canceled',
      canceled_at: now(),
      cancellation_reason: (p.cancellation_reason as string) ?? null,
    });
    return pi;
  }

  private createRefund(p: Record<string, FormValue>): Obj {
    const piId = typeof p.payment_intent === 'string' ? p.payment_intent : null;
    const chargeId = typeof p.charge === 'string' ? p.charge : null;
    const pi = piId
      ? this.pi(piId, 'payment_intent')
      : chargeId
        ? this.pi(String(this.charges.get(chargeId)?.payment_intent ?? chargeId), 'charge')
        : null;
    if (!pi) {
      throw new StripeHttpError(400, {
        type: 'invalid_request_error',
        code: 'parameter_missing',
        param: 'payment_intent',
        message: 'One of the following params should be provided for this request: payment_intent or charge.',
      });
    }
    const amount = p.amount === undefined ? undefined : Number(p.amount);
    const created = this.refund(pi.id, amount, {
      metadata: (p.metadata as Record<string, string> | undefined) ?? {},
      reason: (p.reason as string | undefined) ?? null,
    });
    return this.refunds.get(created.id) as Obj;
  }

  // ---- objects -------------------------------------------------------------------------------------------

  private pi(id: string, param = 'intent'): Obj {
    const pi = this.paymentIntents.get(id);
    if (!pi) throw missing('payment_intent', id, param);
    return pi;
  }

  private charge(id: string, pi: Obj, fields: Record<string, unknown>): Obj {
    const charge: Obj = {
      ...clone(FIXTURES.charge),
      id,
      amount: pi.amount,
      amount_captured: 0,
      amount_refunded: 0,
      balance_transaction: null,
      calculated_statement_descriptor: 'XIANGBO',
      captured: false,
      created: now(),
      currency: pi.currency,
      customer: null,
      description: pi.description,
      disputed: false,
      failure_code: null,
      failure_message: null,
      metadata: clone(pi.metadata),
      payment_intent: pi.id,
      payment_method: randomId('pm'),
      receipt_url: null,
      refunded: false,
      refunds: { object: 'list', data: [], has_more: false, url: `/v1/charges/${id}/refunds` },
      source: null,
      transfer_data: null,
      ...fields,
    };
    this.charges.set(id, charge);
    return charge;
  }

  private balanceTransaction(fields: Record<string, unknown> & { amount: number; fee: number }): Obj {
    const fee = fields.fee;
    const txn: Obj = {
      ...clone(FIXTURES.balance_transaction),
      id: randomId('txn'),
      available_on: now() + 7 * 86400,
      created: now(),
      exchange_rate: null,
      fee_details: fee
        ? [
            {
              amount: fee,
              application: null,
              currency: fields.currency,
              description: 'Stripe processing fees',
              type: 'stripe_fee',
            },
          ]
        : [],
      net: fields.amount - fee,
      status: 'pending',
      ...fields,
    };
    this.balanceTransactions.set(txn.id, txn);
    return txn;
  }

  private lookup(id: string): Obj | undefined {
    for (const store of [this.paymentIntents, this.charges, this.balanceTransactions, this.refunds, this.disputes]) {
      const found = store.get(id);
      if (found) return found;
    }
    return undefined;
  }

  /** Stripe's `expand[]`: dotted paths whose id strings are replaced by the objects (a copy is returned). */
  private expand(obj: Obj, paths: string[]): Obj {
    const out = clone(obj);
    for (const path of paths) {
      let nodes: Record<string, unknown>[] = [out];
      for (const key of path.split('.')) {
        const next: Record<string, unknown>[] = [];
        for (const node of nodes) {
          const v = node[key];
          if (typeof v === 'string') {
            const found = this.lookup(v);
            if (found) {
              node[key] = clone(found);
              next.push(node[key] as Record<string, unknown>);
            }
          } else if (v && typeof v === 'object') {
            next.push(v as Record<string, unknown>);
          }
        }
        nodes = next;
      }
    }
    return out;
  }
}

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return typeof v === 'string' ? v : null;
}
