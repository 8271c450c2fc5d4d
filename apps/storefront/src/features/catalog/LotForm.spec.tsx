import { fireEvent, render, screen, within } from '@testing-library/react';
import type { CreateLotRequest, MemberHousehold } from '@xiangbo/contracts';
import { resetLanguage } from '../../test/helpers';
import { LotForm, lotSumStatus } from './LotForm';

const households: MemberHousehold[] = [
  { id: '11111111-1111-4111-8111-111111111111', maskedName: '王*明', status: 'registered', village: '金米村' },
  { id: '22222222-2222-4222-8222-222222222222', maskedName: '李*英', status: 'monitored', village: '金米村' },
  { id: '33333333-3333-4333-8333-333333333333', maskedName: '欧**国', status: 'none', village: '金米村' },
];

function setup() {
  const onSubmit = vi.fn<(b: CreateLotRequest) => void>();
  render(<LotForm households={households} unitLabel="斤" pending={false} serverError={null} onSubmit={onSubmit} />);
  const change = (el: HTMLElement, value: string) => fireEvent.change(el, { target: { value } });
  const rows = () => screen.getAllByTestId('supply-row');
  const row = (i: number) => ({
    household: within(rows()[i]).getByRole('combobox'),
    quantity: within(rows()[i]).getByLabelText('供货数量（斤）'),
  });
  return { onSubmit, change, row, rows };
}

describe('lotSumStatus', () => {
  it('adds up the supplies and compares with the lot quantity', () => {
    expect(
      lotSumStatus('100', [
        { householdId: 'a', quantity: '60' },
        { householdId: 'b', quantity: '40' },
      ]),
    ).toMatchObject({
      total: 100,
      diff: 0,
      complete: true,
    });
    expect(lotSumStatus('100', [{ householdId: 'a', quantity: '60' }])).toMatchObject({ diff: 40, complete: false });
    expect(lotSumStatus('100', [{ householdId: 'a', quantity: '120' }])).toMatchObject({ diff: -20, complete: false });
    expect(
      lotSumStatus('10', [
        { householdId: 'a', quantity: '5' },
        { householdId: 'a', quantity: '5' },
      ]),
    ).toMatchObject({
      duplicate: true,
      complete: false,
    });
    expect(lotSumStatus('10', [{ householdId: '', quantity: '10' }])).toMatchObject({ complete: false });
    expect(lotSumStatus('10', [{ householdId: 'a', quantity: '2.5' }])).toMatchObject({ total: 0, complete: false });
  });
});

describe('LotForm', () => {
  beforeEach(resetLanguage);

  it('checks live that the households’ quantities add up to the lot, and only then submits', () => {
    const { onSubmit, change, row } = setup();
    change(screen.getByLabelText('批次号'), 'ZS-2025-09');
    change(screen.getByLabelText('批次数量（斤）'), '100');
    const submit = screen.getByRole('button', { name: '登记批次' }) as HTMLButtonElement;
    const sum = screen.getByTestId('lot-sum');

    change(row(0).household, households[0].id);
    change(row(0).quantity, '60');
    expect(sum.textContent).toContain('合计 60 / 批次数量 100');
    expect(sum.textContent).toContain('还差 40');
    expect(submit.disabled).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: '+ 添加供货农户' }));
    change(row(1).household, households[1].id);
    change(row(1).quantity, '50');
    expect(sum.textContent).toContain('多了 10');
    expect(submit.disabled).toBe(true);

    change(row(1).quantity, '40');
    expect(sum.textContent).toContain('数量一致');
    expect(submit.disabled).toBe(false);

    fireEvent.click(submit);
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onSubmit.mock.calls[0][0]).toMatchObject({
      code: 'ZS-2025-09',
      quantity: 100,
      supplies: [
        { householdId: households[0].id, quantity: 60 },
        { householdId: households[1].id, quantity: 40 },
      ],
    });
  });

  it('refuses the same household twice', () => {
    const { change, row } = setup();
    change(screen.getByLabelText('批次数量（斤）'), '10');
    change(row(0).household, households[2].id);
    change(row(0).quantity, '5');
    fireEvent.click(screen.getByRole('button', { name: '+ 添加供货农户' }));
    change(row(1).household, households[2].id);
    change(row(1).quantity, '5');
    expect(screen.getByTestId('lot-sum').textContent).toContain('同一个农户只能出现一次');
    expect((screen.getByRole('button', { name: '登记批次' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows masked names and registry statuses to choose from, never more', () => {
    const { row } = setup();
    const options = within(row(0).household)
      .getAllByRole('option')
      .map((o) => o.textContent);
    expect(options).toEqual([
      '选择农户',
      '王*明 · 金米村 · 建档立卡',
      '李*英 · 金米村 · 防返贫监测',
      '欧**国 · 金米村 · 一般农户',
    ]);
  });
});
