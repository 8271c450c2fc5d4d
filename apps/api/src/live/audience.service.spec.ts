import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ShowStatus } from '@xiangbo/contracts';
import type { AudienceRepository } from './audience.repository';
import { AudienceService } from './audience.service';
import { LiveRestCode } from './live.exception';

const USER = randomUUID();

/** The audience service with its repository replaced by an in-memory double (no database). */
function setup(opts: { approved?: boolean; status?: ShowStatus | null } = {}) {
  const repo = {
    isApprovedCooperative: jest.fn(async () => opts.approved ?? true),
    follow: jest.fn(async () => undefined),
    unfollow: jest.fn(async () => undefined),
    following: jest.fn(async () => ['c2', 'c1']),
    showStatus: jest.fn(async () => (opts.status === undefined ? 'scheduled' : opts.status)),
    subscribe: jest.fn(async () => undefined),
    unsubscribe: jest.fn(async () => undefined),
  };
  const db = { manager: { tag: 'db' } };
  const service = new AudienceService(db as unknown as DataSource, repo as unknown as AudienceRepository);
  return { service, repo, db };
}

describe('AudienceService rules (unit, no database)', () => {
  it('follows an approved cooperative only; a malformed id is 404 without a query', async () => {
    const coop = randomUUID();
    const t = setup();
    await t.service.follow(USER, coop);
    expect(t.repo.follow).toHaveBeenCalledWith(t.db.manager, USER, coop);

    const pending = setup({ approved: false });
    await expect(pending.service.follow(USER, coop)).rejects.toMatchObject({
      code: LiveRestCode.COOPERATIVE_NOT_FOUND,
      status: 404,
    });
    expect(pending.repo.follow).not.toHaveBeenCalled();

    const bad = setup();
    await expect(bad.service.follow(USER, 'nope')).rejects.toMatchObject({ code: LiveRestCode.COOPERATIVE_NOT_FOUND });
    expect(bad.repo.isApprovedCooperative).not.toHaveBeenCalled();
    await bad.service.unfollow(USER, 'nope');
    expect(bad.repo.unfollow).not.toHaveBeenCalled();
    expect(await bad.service.following(USER)).toEqual({ cooperativeIds: ['c2', 'c1'] });
  });

  it.each([
    ['scheduled', null],
    ['live', null],
    ['ended', { code: LiveRestCode.INVALID_SHOW_TRANSITION, status: 409 }],
    ['cancelled', { code: LiveRestCode.SHOW_NOT_FOUND, status: 404 }],
    [null, { code: LiveRestCode.SHOW_NOT_FOUND, status: 404 }],
  ] as [ShowStatus | null, { code: string; status: number } | null][])(
    'subscribing to a %s show: refused with %j',
    async (status, refusal) => {
      const t = setup({ status });
      const show = randomUUID();
      if (refusal) {
        await expect(t.service.subscribe(USER, show)).rejects.toMatchObject(refusal);
        expect(t.repo.subscribe).not.toHaveBeenCalled();
      } else {
        await t.service.subscribe(USER, show);
        expect(t.repo.subscribe).toHaveBeenCalledWith(t.db.manager, USER, show);
      }
    },
  );

  it('a malformed show id: subscribe is 404 and unsubscribe does nothing, neither reads', async () => {
    const t = setup();
    await expect(t.service.subscribe(USER, 'x')).rejects.toMatchObject({ code: LiveRestCode.SHOW_NOT_FOUND });
    await t.service.unsubscribe(USER, 'x');
    expect(t.repo.showStatus).not.toHaveBeenCalled();
    expect(t.repo.unsubscribe).not.toHaveBeenCalled();
    const show = randomUUID();
    await t.service.unsubscribe(USER, show);
    expect(t.repo.unsubscribe).toHaveBeenCalledWith(t.db.manager, USER, show);
  });
});
