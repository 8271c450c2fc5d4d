import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { ConsoleProduct, PendingPhoto } from '@xiangbo/contracts';
import { apiError, fakeApi, json, renderApp, resetLanguage, session, user } from '../../test/helpers';

const COOP = 'coop-1';
const admin = () => json(200, session(user({ roles: [{ role: 'coop_admin', cooperativeId: COOP }] })));

const pending = (n: number): PendingPhoto => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  url: `/api/files/pending/${COOP}/p${n}.webp`,
  thumbUrl: `/api/files/pending/${COOP}/p${n}-thumb.webp`,
  width: 800,
  height: 600,
  expiresAt: '2026-12-09T00:00:00.000Z',
});

const created = (body: Record<string, unknown>): ConsoleProduct =>
  ({
    id: '11111111-1111-4111-8111-111111111111',
    cooperativeId: COOP,
    nameZh: body.nameZh,
    nameEn: null,
    descriptionZh: '',
    descriptionEn: null,
    category: 'fungi',
    unit: 'jin',
    priceFen: body.priceFen,
    currency: 'CNY',
    stock: body.stock,
    soldCount: 0,
    originProvince: '陕西省',
    originCounty: '柞水县',
    originVillage: '金米村',
    shelfLifeDays: null,
    storage: '',
    shippingRegions: [],
    published: body.published,
    photos: [],
    coverThumbUrl: null,
    lotCount: 0,
    createdAt: '2026-12-08T00:00:00.000Z',
    updatedAt: '2026-12-08T00:00:00.000Z',
  }) as ConsoleProduct;

function setup(extra: Record<string, (init: RequestInit) => Response | Promise<Response>> = {}) {
  let uploads = 0;
  const bodies: Record<string, unknown>[] = [];
  const api = fakeApi({
    'POST /api/auth/refresh': admin,
    [`POST /api/console/cooperatives/${COOP}/pending-photos`]: () => json(201, pending(++uploads)),
    [`DELETE /api/console/cooperatives/${COOP}/pending-photos/${pending(1).id}`]: () =>
      new Response(null, { status: 204 }),
    [`POST /api/console/cooperatives/${COOP}/products`]: (init) => {
      const body = JSON.parse(String(init.body)) as Record<string, unknown>;
      bodies.push(body);
      return json(201, created(body));
    },
    ...extra,
  });
  renderApp(`/console/${COOP}/products/new`, api.fetch);
  const fill = async () => {
    fireEvent.change(await screen.findByLabelText('商品名称（中文）'), { target: { value: '柞水黑木耳' } });
    fireEvent.change(screen.getByLabelText('价格（元）'), { target: { value: '59' } });
    fireEvent.change(screen.getByLabelText('库存'), { target: { value: '300' } });
  };
  const choosePhotos = async (n: number) => {
    const files = Array.from({ length: n }, (_, i) => new File([`img${i}`], `p${i}.png`, { type: 'image/png' }));
    fireEvent.change(await screen.findByLabelText('上传图片'), { target: { files } });
    await waitFor(() => expect(screen.getAllByTestId('pending-photo')).toHaveLength(n));
  };
  return { api, bodies, fill, choosePhotos };
}

describe('a new product: photos in the first save, on sale once saved', () => {
  beforeEach(() => {
    void resetLanguage();
    URL.createObjectURL = vi.fn(() => 'blob:preview');
    URL.revokeObjectURL = vi.fn();
  });

  it('uploads photos before the product exists and sends them, published, in the one create request', async () => {
    const { bodies, fill, choosePhotos, api } = setup();
    await choosePhotos(2);
    expect(screen.getByText('封面')).toBeTruthy();
    await fill();
    fireEvent.click(screen.getByRole('button', { name: '创建商品' }));
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).toMatchObject({
      nameZh: '柞水黑木耳',
      priceFen: 5900,
      stock: 300,
      published: true,
      photoIds: [pending(1).id, pending(2).id],
    });
    expect(api.count(`POST /api/console/cooperatives/${COOP}/pending-photos`)).toBe(2);
  });

  it('存为草稿 saves it unpublished; a photo taken back is not sent', async () => {
    const { bodies, fill, choosePhotos } = setup();
    await choosePhotos(2);
    fireEvent.click(screen.getByRole('button', { name: '删除 1' }));
    await waitFor(() => expect(screen.getAllByTestId('pending-photo')).toHaveLength(1));
    await fill();
    fireEvent.click(screen.getByRole('button', { name: '存为草稿' }));
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).toMatchObject({ published: false, photoIds: [pending(2).id] });
  });

  it('waits for photos still uploading before it saves', async () => {
    let release: (r: Response) => void = () => undefined;
    const { bodies, fill } = setup({
      [`POST /api/console/cooperatives/${COOP}/pending-photos`]: () => new Promise<Response>((r) => (release = r)),
    });
    await fill();
    fireEvent.change(screen.getByLabelText('上传图片'), {
      target: { files: [new File(['x'], 'x.png', { type: 'image/png' })] },
    });
    await screen.findByText('图片还在上传，请稍候再保存。');
    const save = screen.getByRole('button', { name: '创建商品' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    release(json(201, pending(7)));
    await waitFor(() => expect(save.disabled).toBe(false));
    fireEvent.click(save);
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).toMatchObject({ photoIds: [pending(7).id] });
  });

  it('says what to do when a photo expired before the save', async () => {
    const { fill, choosePhotos } = setup({
      [`POST /api/console/cooperatives/${COOP}/products`]: () =>
        apiError(400, 'PENDING_PHOTO_UNKNOWN', 'a photo is no longer available', [
          { field: 'photoIds.0', message: 'is not an uploaded photo of this cooperative (or it has expired)' },
        ]),
    });
    await choosePhotos(1);
    await fill();
    fireEvent.click(screen.getByRole('button', { name: '创建商品' }));
    expect(await screen.findByText(/有图片已失效/)).toBeTruthy();
  });
});
