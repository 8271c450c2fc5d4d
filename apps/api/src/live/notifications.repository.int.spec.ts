import { randomUUID } from 'node:crypto';
import { createTestApp, fastBuyers, insertCooperative, TestApp, userWithRoles } from '../../test/test-app';
import { NotificationsRepository } from './notifications.repository';
import { ShowsRepository } from './shows.repository';

/** The notification centre's SQL against PostgreSQL (medium tier): audiences, once per person and event, read state. */
describe('NotificationsRepository (real PostgreSQL)', () => {
  let t: TestApp;
  let repo: NotificationsRepository;
  let coopId: string;
  let showId: string;
  beforeAll(async () => {
    t = await createTestApp();
    repo = t.app.get(NotificationsRepository);
    const coop = await insertCooperative(t, { name: '柞水县木耳合作社' });
    coopId = coop.id;
    const hostId = (await userWithRoles(t, [{ role: 'host', cooperativeId: coopId }])).user.id;
    showId = randomUUID();
    await t.app.get(ShowsRepository).insert(t.db.manager, {
      id: showId,
      cooperativeId: coopId,
      hostId,
      title: '秦岭木耳专场',
      description: '',
      scheduledAt: new Date(Date.now() + 3600_000),
    });
  });
  afterAll(() => t.close());

  const m = () => t.db.manager;

  it('forShow: each audience once, worded from the show and the cooperative, never twice per show and kind', async () => {
    const [subscriber, follower, both, nobody] = await fastBuyers(t, 4);
    await t.db.query(`INSERT INTO show_subscriptions (show_id, user_id) VALUES ($1, $2), ($1, $3)`, [
      showId,
      subscriber.id,
      both.id,
    ]);
    await t.db.query(`INSERT INTO follows (user_id, cooperative_id) VALUES ($1, $3), ($2, $3)`, [
      follower.id,
      both.id,
      coopId,
    ]);
    const users = (rows: { user_id: string }[]) => rows.map((r) => r.user_id).sort();

    const followers = await repo.forShow(m(), showId, 'show_scheduled', 'followers');
    expect(users(followers)).toEqual([follower.id, both.id].sort());
    expect(followers[0]).toMatchObject({
      kind: 'show_scheduled',
      title: '秦岭木耳专场',
      body: '柞水县木耳合作社',
      link: `/live/${showId}`,
      read_at: null,
    });
    expect(users(await repo.forShow(m(), showId, 'show_reminder', 'subscribers'))).toEqual(
      [subscriber.id, both.id].sort(),
    );
    const live = await repo.forShow(m(), showId, 'show_live', 'subscribers_and_followers');
    expect(users(live)).toEqual([subscriber.id, follower.id, both.id].sort());
    expect(users(live)).not.toContain(nobody.id);
    // a retried job or a second process adds nothing
    expect(await repo.forShow(m(), showId, 'show_live', 'subscribers_and_followers')).toEqual([]);
    expect(await repo.forShow(m(), randomUUID(), 'show_live', 'followers')).toEqual([]);
  });

  it('pages newest first, counts unread, marks read once (the first time kept), only the owner’s', async () => {
    const [me, other] = await fastBuyers(t, 2);
    await t.db.query(`INSERT INTO follows (user_id, cooperative_id) VALUES ($1, $2), ($3, $2)`, [
      me.id,
      coopId,
      other.id,
    ]);
    const [older] = await repo
      .forShow(m(), showId, 'show_scheduled', 'followers')
      .then((rows) => rows.filter((r) => r.user_id === me.id));
    await t.db.query(`UPDATE notifications SET created_at = now() - interval '1 hour' WHERE id = $1`, [older.id]);
    const [newer] = (await repo.forShow(m(), showId, 'show_live', 'followers')).filter((r) => r.user_id === me.id);

    expect((await repo.page(m(), me.id, 10, 0)).map((r) => r.id).slice(0, 2)).toEqual([newer.id, older.id]);
    expect((await repo.page(m(), me.id, 1, 1)).map((r) => r.id)).toEqual([older.id]);
    const before = await repo.counts(m(), me.id);

    expect(await repo.markRead(m(), other.id, older.id)).toBe(false);
    expect(await repo.markRead(m(), me.id, older.id)).toBe(true);
    const [first] = await t.db.query(`SELECT read_at FROM notifications WHERE id = $1`, [older.id]);
    expect(await repo.markRead(m(), me.id, older.id)).toBe(true);
    const [second] = await t.db.query(`SELECT read_at FROM notifications WHERE id = $1`, [older.id]);
    expect(second.read_at).toEqual(first.read_at);
    expect(await repo.counts(m(), me.id)).toEqual({ total: before.total, unread: before.unread - 1 });

    await repo.markAllRead(m(), me.id);
    expect(await repo.counts(m(), me.id)).toEqual({ total: before.total, unread: 0 });
    expect((await repo.counts(m(), other.id)).unread).toBeGreaterThan(0);
  });
});
