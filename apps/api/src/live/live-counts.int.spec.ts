import { createTestApp, registerUser, TestApp } from '../../test/test-app';
import { LiveHub } from './live-hub';
import {
  ask,
  connected,
  joined,
  liveClient,
  liveShowFixture,
  listen,
  nextEvent,
  sleep,
  type LiveClient,
} from './live.test-helpers';

/**
 * Issue 15, finding 6, with real socket.io clients: anonymous sockets inflated counts. 20 of them joining show A
 * then B without waiting left A at 9 viewers (1 real) and a peak of 20, and `like:send {count: 20}` from them
 * added 800 likes in a second.
 */
describe('live counts nobody can inflate', () => {
  let t: TestApp;
  let port: number;
  const open: LiveClient[] = [];
  const track = <T extends { s: LiveClient }>(x: T) => (open.push(x.s), x);
  const show = async (id: string) =>
    (await t.db.query(`SELECT likes, peak_viewers FROM shows WHERE id = $1`, [id]))[0] as {
      likes: number;
      peak_viewers: number;
    };

  beforeAll(async () => {
    t = await createTestApp();
    port = await listen(t);
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.disconnect();
  });
  afterAll(() => t.close());

  it('20 anonymous sockets joining A then B without waiting: A keeps its 1 real viewer and a peak of 1', async () => {
    const a = await liveShowFixture(t);
    const b = await liveShowFixture(t);
    const watcher = track(await joined(port, a.show.id)).s;
    const countsA: number[] = [];
    watcher.on('viewers:count', (p) => countsA.push(p.count));
    const racers = await Promise.all(Array.from({ length: 20 }, () => connected(liveClient(port))));
    open.push(...racers);
    const answers = await Promise.all(
      racers.map((s) => {
        const first = ask(s, 'show:join', { showId: a.show.id }); // no waiting between the two
        const second = ask(s, 'show:join', { showId: b.show.id });
        return Promise.all([first, second]);
      }),
    );
    // every socket ends up in B; its join of A was superseded (or, if it finished first, left again)
    for (const [, second] of answers) expect(second).toMatchObject({ ok: true });
    await sleep(1300); // two aggregate ticks
    const hub = t.app.get(LiveHub);
    expect(await hub.viewerCount(a.show.id)).toBe(1);
    expect(await hub.viewerCount(b.show.id)).toBe(20);
    expect(countsA.every((n) => n === 1)).toBe(true);
    expect((await show(a.show.id)).peak_viewers).toBe(1);
    expect((await show(b.show.id)).peak_viewers).toBe(20);

    // and leaving B (disconnecting) brings B back to 0, A stays at 1
    for (const s of racers) s.disconnect();
    await sleep(700);
    expect(await hub.viewerCount(b.show.id)).toBe(0);
    expect(await hub.viewerCount(a.show.id)).toBe(1);
  });

  it('a join superseded by show:leave or a disconnect is never counted', async () => {
    const a = await liveShowFixture(t);
    const sockets = await Promise.all(Array.from({ length: 10 }, () => connected(liveClient(port))));
    open.push(...sockets);
    await Promise.all(
      sockets.map((s, i) => {
        const join = ask(s, 'show:join', { showId: a.show.id }).catch(() => undefined);
        if (i % 2 === 0) void ask(s, 'show:leave', { showId: a.show.id });
        else s.disconnect(); // right after the join: its ack never comes
        return join;
      }),
    );
    await sleep(1300);
    expect(await t.app.get(LiveHub).viewerCount(a.show.id)).toBe(0);
    expect((await show(a.show.id)).peak_viewers).toBe(0);
  });

  it('an anonymous socket cannot like: NOT_SIGNED_IN, and the count does not move', async () => {
    const a = await liveShowFixture(t);
    const anonymous = await Promise.all(Array.from({ length: 20 }, () => joined(port, a.show.id)));
    anonymous.forEach(track);
    const answers = await Promise.all(anonymous.map(({ s }) => ask(s, 'like:send', { count: 20 })));
    for (const r of answers) expect(r).toMatchObject({ ok: false, code: 'NOT_SIGNED_IN' });
    await sleep(1300);
    expect((await show(a.show.id)).likes).toBe(0);
  });

  it('a signed-in user is limited over all their sockets (40 at once, 10/s), and one message holds at most 20', async () => {
    const a = await liveShowFixture(t);
    const u = await registerUser(t);
    const mine = await Promise.all(Array.from({ length: 10 }, () => joined(port, a.show.id, { token: u.token })));
    mine.forEach(track);
    const tooMany = await ask(mine[0].s, 'like:send', { count: 21 });
    expect(tooMany).toMatchObject({ ok: false, code: 'INVALID', field: 'count' });
    const answers = await Promise.all(mine.map(({ s }) => ask(s, 'like:send', { count: 20 })));
    const accepted = answers.filter((r) => r.ok).length;
    expect(accepted).toBe(2); // 40 of the 200 asked for
    for (const r of answers.filter((x) => !x.ok)) {
      expect(r).toMatchObject({ code: 'RATE_LIMITED' });
      expect(r.retryAfterMs).toBeGreaterThan(0);
    }
    // another signed-in viewer has an allowance of their own
    const other = track(await joined(port, a.show.id, { token: (await registerUser(t)).token })).s;
    expect(await ask(other, 'like:send', { count: 5 })).toMatchObject({ ok: true });
    const counted = nextEvent(other, 'likes:count', (p) => p.count >= 45, 4000);
    expect((await counted).count).toBe(45);
    await sleep(700);
    expect((await show(a.show.id)).likes).toBe(45);
  });
});
