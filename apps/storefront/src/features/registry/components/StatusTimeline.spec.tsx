import { render, screen, within } from '@testing-library/react';
import type { HouseholdStatusEventView } from '@xiangbo/contracts';
import i18n, { DEFAULT_LANGUAGE } from '../../../i18n/i18n';
import { StatusTimeline } from './StatusTimeline';

const admin = { id: 'u-1', displayName: '平台管理员 小周' };
// As the API sends them: oldest effective date first. The 2018 entry was recorded last (a late entry).
const events: HouseholdStatusEventView[] = [
  {
    id: 'e1',
    status: 'registered',
    effectiveDate: '2016-03-01',
    reason: '识别为建档立卡户',
    recordedBy: admin,
    recordedAt: '2024-01-05T02:00:00.000Z',
  },
  {
    id: 'e3',
    status: 'monitored',
    effectiveDate: '2018-01-01',
    reason: '补录监测记录',
    recordedBy: { id: 'u-2', displayName: null },
    recordedAt: '2024-06-01T02:00:00.000Z',
  },
  {
    id: 'e2',
    status: 'lifted',
    effectiveDate: '2020-12-01',
    reason: '脱贫验收通过',
    recordedBy: admin,
    recordedAt: '2024-02-01T02:00:00.000Z',
  },
];

// Rendered alone (not through the whole app), in Chinese unless a test switches.
beforeEach(() => i18n.changeLanguage(DEFAULT_LANGUAGE));

describe('StatusTimeline', () => {
  it('lists the history newest first with date, status, reason and who recorded it; the newest is current', () => {
    render(<StatusTimeline events={events} />);
    const list = screen.getByRole('list', { name: '状态记录，最新在前' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((li) => li.querySelector('time')?.getAttribute('datetime'))).toEqual([
      '2020-12-01',
      '2018-01-01',
      '2016-03-01',
    ]);

    const current = within(items[0]);
    expect(current.getByText('已脱贫')).toBeTruthy();
    expect(current.getByText('当前')).toBeTruthy();
    expect(current.getByText('脱贫验收通过')).toBeTruthy();
    expect(current.getByText(/平台管理员 小周 于 2024\/2\/1/)).toBeTruthy();
    expect(items[0].querySelector('time')?.textContent).toBe('2020年12月1日');

    const late = within(items[1]);
    expect(late.getByText('防返贫监测')).toBeTruthy();
    expect(late.getByText('补录')).toBeTruthy();
    expect(late.queryByText('当前')).toBeNull();
    expect(late.getByText(/未知用户 于/)).toBeTruthy();

    const first = within(items[2]);
    expect(first.getByText('建档立卡')).toBeTruthy();
    expect(first.queryByText('补录')).toBeNull();
  });

  it('says when there is no history', () => {
    render(<StatusTimeline events={[]} />);
    expect(screen.getByText('还没有状态记录')).toBeTruthy();
  });
});
