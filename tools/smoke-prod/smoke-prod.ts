/**
 * `npm run smoke:prod`: the production topology of docker/compose.yml, without Docker, on this machine.
 *
 *   Debian's nginx with docker/nginx.conf (upstreams pointed at local ports)
 *     → two API replicas (the built dist/apps/api/main.js, NODE_ENV=production) over PostgreSQL and Redis
 *     → the offline Stripe-compatible server (apps/api/test/stripe-server) in place of Stripe
 *
 * Through nginx it signs in, joins a live room on both replicas (websocket and polling, a chat message crossing
 * replicas over Redis), pays an order through a signed webhook, ships, completes and settles it, and checks what
 * production must refuse. It prints each check; any failure exits 1.
 *
 * Needs: `npm run build` (the npm script does it), nginx on the PATH or at /usr/sbin/nginx, DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test: a fresh database is created beside it and dropped at the end) and
 * REDIS_URL (default redis://127.0.0.1:6379). Video is off (MediaMTX has no Debian package).
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, Agent as HttpAgent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { io, Socket } from 'socket.io-client';
import { StripeTestServer } from '../../apps/api/test/stripe-server/stripe-server';

const root = resolve(__dirname, '../..');
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DEMO_PASSWORD = 'Xiangbo-demo-2026';
const ADMIN = { email: 'smoke.admin@xiangbo.test', password: 'smoke-admin-password-2026' };

const checks: string[] = [];
function pass(what: string) {
  checks.push(what);
  console.log(`  ✓ ${what}`);
}
function check(ok: unknown, what: string, detail?: unknown): asserts ok {
  if (!ok) throw new Error(`${what}${detail === undefined ? '' : `: ${JSON.stringify(detail).slice(0, 600)}`}`);
  pass(what);
}

const freePort = () =>
  new Promise<number>((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function nginxBinary(): string {
  for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (existsSync(p)) return p;
  const which = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  throw new Error('nginx is not installed (apt-get install nginx)');
}

// ---- processes -------------------------------------------------------------------------------------------------

const children: ChildProcess[] = [];
function start(
  name: string,
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; log: () => string } {
  const child = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`  ! ${name} exited (${code ?? signal})\n${out.slice(-3000)}`);
  });
  children.push(child);
  return { child, log: () => out };
}
let stopping = false;

async function waitHealthy(url: string, proc: { child: ChildProcess; log: () => string }, what: string) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`${what} exited during start-up:\n${proc.log().slice(-3000)}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      /* not yet listening */
    }
    if (Date.now() > deadline) throw new Error(`${what} was not healthy within 90 s:\n${proc.log().slice(-3000)}`);
    await sleep(300);
  }
}

/** docker/nginx.conf with its upstream servers, listen address and the MediaMTX route made local. */
function nginxConfig(dir: string, nginxPort: number, apiPorts: number[]): string {
  let site = readFileSync(join(root, 'docker/nginx.conf'), 'utf8');
  const servers = apiPorts.map((p) => `  server 127.0.0.1:${p} max_fails=3 fail_timeout=10s;`).join('\n');
  site = site.replace(/^\s*server api:3000[^\n]*$/m, servers);
  if (site.includes('server api:3000')) throw new Error('docker/nginx.conf: upstream line not found');
  site = site.replace(/listen 80;/, `listen 127.0.0.1:${nginxPort};`);
  // No MediaMTX here (video is off in this smoke run): its route answers 502 instead of failing to resolve.
  site = site.replace(/proxy_pass http:\/\/mediamtx:8888\/;/, 'return 502;');
  // Which replica answered, for the checks below (only in this copy, not in the shipped config).
  site = site.replace(
    /(proxy_pass http:\/\/xiangbo_api;)/g,
    '$1\n    add_header X-Smoke-Upstream $upstream_addr always;',
  );
  const main = `
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
worker_processes 1;
events { worker_connections 1024; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${site}
}
`;
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, main);
  return file;
}

// ---- HTTP through nginx, from a chosen client address ----------------------------------------------------------

/**
 * nginx balances with ip_hash on the first three octets of the client's IPv4 address, so a client's address picks
 * its replica. Loopback is all of 127.0.0.0/8: clients bound to 127.0.N.1 land on one replica or the other.
 */
class ClientFrom {
  readonly httpAgent: HttpAgent;
  constructor(
    readonly base: string,
    readonly address: string,
  ) {
    this.httpAgent = new HttpAgent({ localAddress: address, keepAlive: false });
  }
  async request(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
  ) {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined = opts.raw;
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    const res = await new Promise<{
      status: number;
      text: string;
      headers: Record<string, string | string[] | undefined>;
    }>((ok, fail) => {
      const req = httpRequest(`${this.base}${path}`, { method, headers, agent: this.httpAgent }, (r) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (d) => (text += d));
        r.on('end', () => ok({ status: r.statusCode ?? 0, text, headers: r.headers }));
      });
      req.on('error', fail);
      req.end(body);
    });
    let json: unknown = null;
    try {
      json = res.text ? JSON.parse(res.text) : null;
    } catch {
      json = res.text;
    }
    const header = (name: string) => {
      const v = res.headers[name];
      return Array.isArray(v) ? v.join(', ') : (v ?? null);
    };
    return { status: res.status, json: json as any, upstream: header('x-smoke-upstream') ?? '', header };
  }
  async upstream(): Promise<string> {
    return (await this.request('GET', '/api/health')).upstream;
  }
  close() {
    this.httpAgent.destroy();
  }
}

async function signIn(c: ClientFrom, email: string, password: string): Promise<{ token: string; user: any }> {
  const res = await c.request('POST', '/api/auth/sign-in', { body: { identifier: email, password } });
  if (res.status !== 200 && res.status !== 201)
    throw new Error(`sign-in ${email}: ${res.status} ${JSON.stringify(res.json)}`);
  return { token: res.json.accessToken, user: res.json.user };
}

function liveSocket(
  c: ClientFrom,
  transport: 'websocket' | 'polling',
  token: string | undefined,
  showId: string,
): Socket {
  return io(`${c.base}/live`, {
    transports: [transport],
    upgrade: false,
    reconnection: false,
    forceNew: true,
    agent: c.httpAgent as unknown as string, // engine.io-client's typing says string; in Node it takes an http.Agent
    auth: { ...(token ? { token } : {}), showId },
  });
}

function nextEvent<T>(s: Socket, event: string, ms = 10_000, match: (p: T) => boolean = () => true): Promise<T> {
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no ${event} within ${ms} ms`)), ms);
    const on = (p: T) => {
      if (!match(p)) return;
      clearTimeout(timer);
      s.off(event, on);
      ok(p);
    };
    s.on(event, on);
    s.once('connect_error', (e) => {
      clearTimeout(timer);
      fail(e);
    });
  });
}

// ---- the run -----------------------------------------------------------------------------------------------------

async function main() {
  const main = join(root, 'dist/apps/api/main.js');
  if (!existsSync(main) || !existsSync(join(root, 'dist/apps/storefront/index.html')))
    throw new Error('build first: npm run build (npm run smoke:prod does)');
  const nginx = nginxBinary();
  const work = mkdtempSync(join(tmpdir(), 'xb-smoke-'));
  const dbName = `xbsmoke_${Date.now().toString(36)}_${process.pid}`;
  const admin = new Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const dbUrl = new URL(DATABASE_URL);
  dbUrl.pathname = `/${dbName}`;
  const stripe = await StripeTestServer.start();
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  cleanups.push(() => stripe.close());
  // Aliyun SMS stand-in (production refuses the log provider): answers SendSms as Aliyun does and counts messages.
  const smsSent: string[] = [];
  const sms = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      smsSent.push(`${req.method} ${req.url} ${body}`);
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({ Code: 'OK', Message: 'OK', BizId: `smoke${smsSent.length}`, RequestId: `req-${Date.now()}` }),
      );
    });
  });
  await new Promise<void>((ok) => sms.listen(0, '127.0.0.1', ok));
  cleanups.push(() => new Promise((ok) => sms.close(ok)));
  const smsUrl = `http://127.0.0.1:${(sms.address() as { port: number }).port}`;

  try {
    console.log('乡播 production smoke test (nginx → 2 API replicas → PostgreSQL + Redis; offline Stripe)\n');
    const [nginxPort, portA, portB] = [await freePort(), await freePort(), await freePort()];
    const publicUrl = `http://127.0.0.1:${nginxPort}`;
    const prodEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATABASE_URL: dbUrl.toString(),
      REDIS_URL,
      JWT_SECRET: 'smoke-jwt-secret-smoke-jwt-secret-smoke-01',
      PERSONAL_DATA_KEY: 'smoke-personal-data-key-smoke-personal-02',
      // the platform key that signs published chain heads: one for both replicas, as a deployment sets it
      LEDGER_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      CORS_ORIGINS: publicUrl,
      TRUST_PROXY: 'true',
      COOKIE_SECURE: 'false', // plain http on loopback
      STOREFRONT_DIR: join(root, 'dist/apps/storefront'),
      UPLOADS_DIR: join(work, 'uploads'),
      MEDIA_SERVER: 'off',
      ...stripe.env(),
      SMS_PROVIDER: 'aliyun',
      ALIYUN_SMS_ACCESS_KEY_ID: 'smoke-access-key-id',
      ALIYUN_SMS_ACCESS_KEY_SECRET: 'smoke-access-key-secret',
      ALIYUN_SMS_SIGN_NAME: '乡播',
      ALIYUN_SMS_TEMPLATE_CODE: 'SMS_000000001',
      ALIYUN_SMS_ENDPOINT: smsUrl,
      SMS_LINK_BASE_URL: publicUrl,
      SMOKE_TEST: 'true', // lets the offline Stripe server and the SMS stand-in (plain http) through in production
    };

    // 1. What production must refuse before anything else: no payment provider, no start.
    const noStripe = Object.fromEntries(
      Object.entries(prodEnv).filter(([k]) => !k.startsWith('STRIPE_') && k !== 'SMOKE_TEST'),
    );
    const refused = spawnSync(process.execPath, [main], {
      cwd: root,
      env: noStripe,
      encoding: 'utf8',
      timeout: 30_000,
    });
    check(
      refused.status === 78 && /STRIPE_SECRET_KEY: is required in production/.test(refused.stderr + refused.stdout),
      'production without STRIPE_* exits 78 naming STRIPE_SECRET_KEY (no demo provider)',
      { status: refused.status, out: (refused.stderr + refused.stdout).slice(0, 400) },
    );

    // 2. Two replicas (the first migrates and seeds; both run jobs, as in compose) and nginx in front.
    const a = start('api-a', process.execPath, [main], {
      ...prodEnv,
      PORT: String(portA),
      SEED_DEMO: 'true',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    });
    await waitHealthy(`http://127.0.0.1:${portA}`, a, 'replica A');
    const b = start('api-b', process.execPath, [main], { ...prodEnv, PORT: String(portB) });
    await waitHealthy(`http://127.0.0.1:${portB}`, b, 'replica B');
    pass(`two API replicas healthy in production mode (ports ${portA}, ${portB})`);
    const conf = nginxConfig(work, nginxPort, [portA, portB]);
    const test = spawnSync(nginx, ['-t', '-c', conf, '-p', work], { encoding: 'utf8' });
    check(test.status === 0, 'docker/nginx.conf (upstreams made local) passes nginx -t', test.stderr);
    const ng = start('nginx', nginx, ['-c', conf, '-p', work, '-g', 'daemon off;'], process.env);
    await waitHealthy(publicUrl, ng, 'nginx');

    // Clients from loopback addresses in different /24s until both replicas are reached.
    const byReplica = new Map<string, ClientFrom>();
    for (let n = 1; n <= 40 && byReplica.size < 2; n++) {
      const c = new ClientFrom(publicUrl, `127.0.${n}.1`);
      const up = await c.upstream();
      if (up && !byReplica.has(up)) byReplica.set(up, c);
      else await c.close();
    }
    check(byReplica.size === 2, 'nginx spreads clients over both replicas (ip_hash)', [...byReplica.keys()]);
    const [onA, onB] = [...byReplica.values()];
    cleanups.push(
      () => onA.close(),
      () => onB.close(),
    );
    const sticky = await Promise.all([1, 2, 3].map(() => onA.upstream()));
    check(
      sticky.every((u) => u === sticky[0]),
      'a client stays on its replica (sticky for socket.io polling)',
    );

    // 3. Production surface.
    const storefront = await onA.request('GET', '/');
    check(
      storefront.status === 200 && String(storefront.json).includes('<div id="root"'),
      'the storefront is served at / through nginx',
    );
    const config = await onB.request('GET', '/api/payments/config');
    check(
      config.json?.provider === 'stripe' && config.json?.publishableKey === stripe.publishableKey,
      'GET /api/payments/config → stripe',
      config.json,
    );

    // 4. Sign in (demo buyer, cooperative admin and host seeded by replica A) through nginx, on each replica.
    const buyer = await signIn(onB, 'buyer@xiangbo.demo', DEMO_PASSWORD);
    const coopAdmin = await signIn(onA, 'jinmi.admin@xiangbo.demo', DEMO_PASSWORD);
    const host = await signIn(onA, 'jinmi.host@xiangbo.demo', DEMO_PASSWORD);
    const me = await onB.request('GET', '/api/auth/me', { token: coopAdmin.token });
    check(me.status === 200, 'signed in on one replica, the token works on the other');
    const coopId: string = coopAdmin.user.roles.find((r: any) => r.role === 'coop_admin')?.cooperativeId;
    check(Boolean(coopId), 'the demo cooperative admin has a cooperative');

    // 5. A live room joined on both replicas, one client on websocket and one on polling.
    const shows = await onA.request('GET', `/api/console/cooperatives/${coopId}/shows`, { token: host.token });
    const scheduled = (shows.json as any[]).find((s) => s.status === 'scheduled');
    check(Boolean(scheduled), 'the demo cooperative has a scheduled show', shows.json);
    const started = await onA.request('POST', `/api/console/shows/${scheduled.id}/start`, { token: host.token });
    check(started.status === 200 || started.status === 201, 'the host starts the show', started.json);
    const viewerWs = liveSocket(onA, 'websocket', buyer.token, scheduled.id);
    const viewerPoll = liveSocket(onB, 'polling', undefined, scheduled.id);
    cleanups.push(
      () => viewerWs.close(),
      () => viewerPoll.close(),
    );
    const [stateWs, statePoll] = await Promise.all([
      nextEvent<any>(viewerWs, 'show:state'),
      nextEvent<any>(viewerPoll, 'show:state'),
    ]);
    check(
      stateWs.status === 'live' &&
        statePoll.status === 'live' &&
        viewerWs.io.engine.transport.name === 'websocket' &&
        viewerPoll.io.engine.transport.name === 'polling',
      `live room joined on replica ${onA.address} (websocket) and ${onB.address} (polling): both see the show live`,
    );
    const text = `smoke ${Date.now()}`;
    const arrives = nextEvent<any>(viewerPoll, 'chat:message', 10_000, (m) => m.text === text);
    const ack = await new Promise<any>((ok) => viewerWs.emit('chat:send', { showId: scheduled.id, text }, ok));
    check(ack?.ok !== false, 'a signed-in viewer chats over websocket', ack);
    await arrives;
    pass('the chat message crosses replicas (Redis adapter) and reaches the polling viewer');

    // 6. An order paid through a signed Stripe webhook (delivered through nginx to whichever replica).
    const products = await onB.request('GET', `/api/products?cooperativeId=${coopId}`);
    const product = (products.json.items as any[]).find((p) => p.stock >= 1);
    check(Boolean(product), 'a published product with stock', products.json);
    const address = {
      recipient: '陈静',
      mobile: '13800138000',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      detail: '文三路 100 号',
    };
    const placed = await onB.request('POST', '/api/orders', {
      token: buyer.token,
      body: { items: [{ productId: product.id, quantity: 1 }], address },
    });
    check(
      placed.status === 201 && placed.json.checkout.provider === 'stripe',
      'the buyer places an order; checkout is a Stripe PaymentIntent',
      placed.json,
    );
    const demo = await onB.request('POST', `/api/payments/demo/${placed.json.checkout.paymentId}/confirm`, {
      token: buyer.token,
    });
    check(
      demo.status >= 400 && demo.status < 500,
      `the demo confirm route is refused in production (${demo.status})`,
      demo.json,
    );
    // the buyer opens the payment: the PaymentIntent is made then (the order's answer does not wait for Stripe)
    const opened = await onA.request('POST', `/api/payments/${placed.json.checkout.paymentId}/intent`, {
      token: buyer.token,
    });
    check(
      opened.status === 200 && typeof opened.json.clientSecret === 'string',
      'opening the payment makes its PaymentIntent (client secret for Stripe.js)',
      opened.json,
    );
    const pi = [...stripe.paymentIntents.values()].find(
      (p) => (p.metadata as Record<string, string>).paymentId === placed.json.checkout.paymentId,
    );
    check(
      pi?.amount === placed.json.totalFen && pi?.currency === 'cny',
      'the PaymentIntent carries the order total in CNY',
      pi,
    );
    const paid = stripe.succeed(pi.id, { fee: Math.floor(placed.json.totalFen * 0.006), method: 'alipay' });
    const forged = stripe.sign(stripe.event('payment_intent.succeeded', paid.paymentIntent), {
      secret: 'whsec_someone_else',
    });
    const forgedRes = await onA.request('POST', '/api/payments/stripe/webhook', {
      raw: forged.payload,
      headers: { 'content-type': 'application/json', 'stripe-signature': forged.signature },
    });
    check(forgedRes.status === 400, 'a webhook signed with another secret is refused (400)', forgedRes.json);
    const signed = stripe.sign(stripe.event('payment_intent.succeeded', paid.paymentIntent));
    const hook = await onA.request('POST', '/api/payments/stripe/webhook', {
      raw: signed.payload,
      headers: { 'content-type': 'application/json', 'stripe-signature': signed.signature },
    });
    check(hook.status === 200, 'the signed payment_intent.succeeded webhook is accepted through nginx', hook.json);
    const order = await onB.request('GET', `/api/orders/${placed.json.id}`, { token: buyer.token });
    check(order.json?.status === 'paid', 'the order is paid (read on the other replica)', order.json?.status);

    // 7. Ship, complete, settle: the ledger splits the order and the buyer's impact receipt shows it.
    const ship = await onA.request('POST', `/api/console/orders/${placed.json.id}/ship`, {
      token: coopAdmin.token,
      body: { carrier: '顺丰速运', trackingNumber: `SF${Date.now()}` },
    });
    check(ship.status < 300, 'the cooperative ships it', ship.json);
    const done = await onB.request('POST', `/api/orders/${placed.json.id}/confirm-receipt`, { token: buyer.token });
    check(done.status < 300, 'the buyer confirms receipt (order completed)', done.json);
    const run = await onA.request('POST', `/api/console/cooperatives/${coopId}/settlement-runs`, {
      token: coopAdmin.token,
    });
    check(run.status === 202 || run.status === 201, 'a settlement run starts (pg-boss job)', run.json);
    let status = '';
    for (let i = 0; i < 120 && status !== 'done' && status !== 'failed'; i++) {
      await sleep(500);
      const r = await onB.request('GET', `/api/console/cooperatives/${coopId}/settlement-runs/${run.json.id}`, {
        token: coopAdmin.token,
      });
      status = r.json?.status;
    }
    check(status === 'done', 'the settlement run finishes', status);
    const impact = await onB.request('GET', `/api/orders/${placed.json.id}/impact`, { token: buyer.token });
    check(impact.status === 200, 'the buyer opens the impact receipt of the settled order', impact.json);
    console.log(`      receipt: ${JSON.stringify(impact.json).slice(0, 300)}…`);
    const head = await onA.request('GET', `/api/cooperatives/${coopId}/transparency`);
    check(head.status === 200, 'the public transparency page answers through nginx');
    const [headA, headB] = [
      await onA.request('GET', `/api/cooperatives/${coopId}/ledger/head`),
      await onB.request('GET', `/api/cooperatives/${coopId}/ledger/head`),
    ];
    check(
      headA.status === 200 && headB.status === 200 && headA.json?.keyId === headB.json?.keyId && headA.json?.seq > 0,
      'the signed chain head is public, with the same platform key on both replicas',
      [headA.json, headB.json],
    );

    // 8. Production hardening visible from outside.
    const docs = await onA.request('GET', '/api/docs');
    check(docs.status === 404, `the API docs are off in production (/api/docs → ${docs.status})`);
    const cors = await onA.request('GET', '/api/health', { headers: { origin: 'http://localhost:4200' } });
    check(
      cors.header('access-control-allow-origin') === null,
      'CORS does not answer a development origin (http://localhost:4200) in production',
      cors.header('access-control-allow-origin'),
    );
    const ownOrigin = await onB.request('GET', '/api/health', { headers: { origin: publicUrl } });
    check(ownOrigin.header('access-control-allow-origin') === publicUrl, 'CORS answers the configured origin');
    const nul = await onB.request('GET', '/api/products?region=%00');
    check(nul.status === 400, `a NUL in a query is refused with 400 naming the field (${nul.status})`, nul.json);
    const page = await onA.request('GET', '/', { headers: { 'accept-encoding': 'br, gzip' } });
    console.log(`      / through nginx: content-encoding ${page.header('content-encoding') ?? '(none)'}`);
    console.log(`\nsmoke:prod passed: ${checks.length} checks`);
  } finally {
    stopping = true;
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await sleep(1500);
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    const drop = new Client({ connectionString: DATABASE_URL });
    await drop.connect();
    await drop.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await drop.end();
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`\nsmoke:prod FAILED after ${checks.length} checks: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  },
);
