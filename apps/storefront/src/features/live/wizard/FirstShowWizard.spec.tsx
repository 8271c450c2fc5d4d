import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ConsoleProduct, ConsoleShow } from '@xiangbo/contracts';
import { fakeApi, json, renderApp, resetLanguage, session, user } from '../../../test/helpers';

const COOP = 'coop-1';
const P1 = '9b2f1c3e-3f4e-4a53-9f0a-0c1d2e3f4a51';
const P2 = '9b2f1c3e-3f4e-4a53-9f0a-0c1d2e3f4a52';
const P3 = '9b2f1c3e-3f4e-4a53-9f0a-0c1d2e3f4a53';
const product = (id: string, nameZh: string, published = true) =>
  ({ id, nameZh, published, coverThumbUrl: null }) as unknown as ConsoleProduct;

function setup(shows: ConsoleShow[] = []) {
  const bodies: Record<string, unknown>[] = [];
  const api = fakeApi({
    'POST /api/auth/refresh': () => json(200, session(user({ roles: [{ role: 'coop_admin', cooperativeId: COOP }] }))),
    [`GET /api/console/cooperatives/${COOP}/shows`]: () => json(200, shows),
    [`GET /api/console/cooperatives/${COOP}/products`]: () =>
      json(200, [product(P1, '柞水黑木耳'), product(P2, '香菇干'), product(P3, '草稿木耳', false)]),
    [`POST /api/console/cooperatives/${COOP}/shows`]: (init) => {
      const body = JSON.parse(String(init.body)) as Record<string, unknown>;
      bodies.push(body);
      return json(201, { id: 'show-1', title: body.title, scheduledAt: body.scheduledAt, status: 'scheduled' });
    },
  });
  renderApp(`/console/${COOP}/shows`, api.fetch);
  return { api, bodies };
}

describe('the first-show wizard', () => {
  beforeEach(resetLanguage);

  it('walks a cooperative with no show through products → title and time → camera, and creates the show', async () => {
    const { bodies } = setup();
    const wizard = await screen.findByTestId('first-show-wizard');
    expect(within(wizard).getByText('第 1 步，共 3 步')).toBeTruthy();
    // Every product on sale is ticked; a draft is not offered.
    await waitFor(() => expect((screen.getByLabelText('柞水黑木耳') as HTMLInputElement).checked).toBe(true));
    expect((screen.getByLabelText('香菇干') as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByLabelText('草稿木耳')).toBeNull();
    fireEvent.click(screen.getByLabelText('香菇干'));
    fireEvent.click(screen.getByRole('button', { name: '下一步' }));

    // Step 2: a title is suggested and a time is already chosen.
    expect(((await screen.findByLabelText('直播标题')) as HTMLInputElement).value).toBe('柞水黑木耳产地直播');
    fireEvent.click(screen.getByRole('button', { name: '下一步' }));

    // Step 3: camera check and how to go live from the phone, then create.
    expect(await screen.findByText('到时间怎么用手机开播')).toBeTruthy();
    expect(screen.getByTestId('wizard-summary').textContent).toContain('1 件商品');
    fireEvent.click(screen.getByRole('button', { name: '创建直播' }));
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).toMatchObject({ title: '柞水黑木耳产地直播', productIds: [P1] });
    expect(new Date(String(bodies[0].scheduledAt)).getTime()).toBeGreaterThan(Date.now());
    expect(await screen.findByText('直播已预约')).toBeTruthy();
    expect(screen.getByRole('link', { name: '进入主播台' }).getAttribute('href')).toBe(
      `/console/${COOP}/shows/show-1/host`,
    );
  });

  it('does not go on without a product, or with an emptied title', async () => {
    const { bodies } = setup();
    await waitFor(() => expect((screen.getByLabelText('柞水黑木耳') as HTMLInputElement).checked).toBe(true));
    fireEvent.click(screen.getByLabelText('柞水黑木耳'));
    fireEvent.click(screen.getByLabelText('香菇干'));
    fireEvent.click(screen.getByRole('button', { name: '下一步' }));
    expect((await screen.findByRole('alert')).textContent).toBe('至少选一件商品');
    fireEvent.click(screen.getByLabelText('香菇干'));
    fireEvent.click(screen.getByRole('button', { name: '下一步' }));
    fireEvent.change(await screen.findByLabelText('直播标题'), { target: { value: ' ' } });
    fireEvent.click(screen.getByRole('button', { name: '下一步' }));
    expect(await screen.findByText('请填写直播标题（最多 60 字）')).toBeTruthy();
    expect(bodies).toHaveLength(0);
  });

  it('is not shown once the cooperative has a show', async () => {
    setup([
      {
        id: 'show-0',
        title: '第一场',
        status: 'scheduled',
        scheduledAt: '2030-01-01T11:30:00.000Z',
        productCount: 1,
        subscriberCount: 0,
        canManage: true,
      } as unknown as ConsoleShow,
    ]);
    expect(await screen.findByText('第一场')).toBeTruthy();
    expect(screen.queryByTestId('first-show-wizard')).toBeNull();
  });
});
