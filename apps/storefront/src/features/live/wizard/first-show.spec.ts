import { showRequestFrom, stepProblem, suggestedStarts, suggestedTitle } from './first-show';

describe('first show: suggestions and checks', () => {
  it('suggests tonight only while it is an hour away, then tomorrow evening and Saturday morning', () => {
    const wednesdayNoon = new Date(2026, 11, 9, 12, 0);
    expect(suggestedStarts(wednesdayNoon)).toEqual([
      { key: 'tonight', value: '2026-12-09T20:00' },
      { key: 'tomorrow', value: '2026-12-10T19:30' },
      { key: 'saturday', value: '2026-12-12T10:00' },
    ]);
    const wednesdayLate = new Date(2026, 11, 9, 19, 30);
    expect(suggestedStarts(wednesdayLate).map((s) => s.key)).toEqual(['tomorrow', 'saturday']);
    // On a Friday, "tomorrow" is already Saturday: no second Saturday.
    const fridayNoon = new Date(2026, 11, 11, 12, 0);
    expect(suggestedStarts(fridayNoon).map((s) => s.value)).toEqual(['2026-12-11T20:00', '2026-12-12T19:30']);
    // On a Saturday the next Saturday is a week away.
    expect(suggestedStarts(new Date(2026, 11, 12, 21, 0)).map((s) => s.value)).toEqual([
      '2026-12-13T19:30',
      '2026-12-19T10:00',
    ]);
  });

  it('titles the show after its first product, within 60 characters', () => {
    expect(suggestedTitle(['柞水黑木耳'])).toBe('柞水黑木耳产地直播');
    expect(suggestedTitle(['柞水黑木耳', '香菇'])).toBe('柞水黑木耳等好物产地直播');
    expect(suggestedTitle([])).toBe('');
    expect(suggestedTitle(['木'.repeat(80)])).toHaveLength(60);
  });

  it('does not go on without a product, a title, or a start in the future', () => {
    const now = new Date(2026, 11, 9, 12, 0);
    const ok = {
      productIds: ['9b2f1c3e-3f4e-4a53-9f0a-0c1d2e3f4a5b'],
      title: '木耳产地直播',
      start: '2026-12-09T20:00',
    };
    expect(stepProblem('products', { ...ok, productIds: [] }, now)).toBe('products');
    expect(stepProblem('products', { ...ok, productIds: Array(31).fill(ok.productIds[0]) }, now)).toBe('tooMany');
    expect(stepProblem('when', { ...ok, title: '  ' }, now)).toBe('title');
    expect(stepProblem('when', { ...ok, start: '' }, now)).toBe('start');
    expect(stepProblem('when', { ...ok, start: '2026-12-09T11:00' }, now)).toBe('past');
    expect(stepProblem('camera', { ...ok, productIds: [] }, now)).toBe('products');
    expect(stepProblem('camera', ok, now)).toBeNull();
  });

  it('builds the request the console API takes, with the time as an ISO instant', () => {
    const body = showRequestFrom({
      productIds: ['9b2f1c3e-3f4e-4a53-9f0a-0c1d2e3f4a5b'],
      title: ' 木耳产地直播 ',
      start: '2026-12-09T20:00',
    });
    expect(body).toEqual({
      title: '木耳产地直播',
      scheduledAt: new Date(2026, 11, 9, 20, 0).toISOString(),
      productIds: ['9b2f1c3e-3f4e-4a53-9f0a-0c1d2e3f4a5b'],
    });
    expect(showRequestFrom({ productIds: ['x'], title: 'a', start: '2026-12-09T20:00' })).toBeNull();
  });
});
