import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { SharingPolicyDto } from '@xiangbo/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, json, renderApp, resetLanguage, session, user } from '../../../test/helpers';

const VERSION: SharingPolicyDto = {
  version: 1,
  platformFeeBp: 300,
  purchase: { kind: 'percent', bp: 6500 },
  dividendBp: 800,
  wagesBp: 1000,
  dividendWeights: { registered: 150, monitored: 120, lifted: 100, none: 100 },
  effectiveFrom: '2025-03-01T00:00:00.000Z',
  note: '首个版本',
  createdAt: '2025-03-01T00:00:00.000Z',
  createdByName: '张建国',
  inForce: true,
};

/** Issue 15, finding 8: the platform's fee is the platform's; the cooperative's policy screen shows it read-only. */
describe('policy screen: the platform fee', () => {
  afterEach(resetLanguage);

  it('shows the fee the platform set, read-only, and never sends one of its own', async () => {
    const posted: unknown[] = [];
    const api = fakeApi({
      'POST /api/auth/refresh': () =>
        json(200, session(user({ roles: [{ role: 'coop_admin', cooperativeId: 'coop-7' }] }))),
      'GET /api/console/cooperatives/coop-7': () =>
        json(200, { id: 'coop-7', name: '柞水县金米村木耳专业合作社', status: 'approved', canManage: true }),
      'GET /api/console/cooperatives/coop-7/sharing-policies': () =>
        json(200, { versions: [VERSION], platformFeeBp: 250 }),
      'POST /api/console/cooperatives/coop-7/sharing-policies': (init) => {
        posted.push(JSON.parse(String(init.body)));
        return json(201, { ...VERSION, version: 2, platformFeeBp: 250, inForce: false });
      },
    });
    renderApp('/console/coop-7/policy', api.fetch);

    const fee = (await screen.findByLabelText('平台服务费', {}, { timeout: 10_000 })) as HTMLInputElement;
    expect(fee.readOnly).toBe(true);
    expect(fee.value).toBe('2.5'); // what the platform set now, not the 3 % of the last version
    expect(screen.getByText('由平台设定，合作社不能修改（按订单金额计算）')).toBeTruthy();
    fireEvent.change(fee, { target: { value: '0' } });
    expect(fee.value).toBe('2.5');

    fireEvent.click(screen.getByRole('button', { name: '保存为新版本' }));
    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).not.toHaveProperty('platformFeeBp');
    expect(posted[0]).toMatchObject({ dividendBp: 800, wagesBp: 1000, purchase: { kind: 'percent', bp: 6500 } });
  }, 20_000);
});
