import { fireEvent, render, screen } from '@testing-library/react';
import type { RecordPayoutRequest } from '@xiangbo/contracts';
import { ApiError } from '../../../api/client';
import { resetLanguage } from '../../../test/helpers';
import { RecordPayoutForm } from './RecordPayoutForm';

const payout = { id: '11111111-1111-4111-8111-111111111111', householdNameMasked: '王*明', amountFen: 5000 };

function setup(serverError: { message: string; error: unknown } | null = null) {
  const onSubmit = vi.fn<(b: RecordPayoutRequest) => void>();
  const onCancel = vi.fn();
  render(
    <RecordPayoutForm
      payout={payout}
      pending={false}
      serverError={serverError}
      onSubmit={onSubmit}
      onCancel={onCancel}
      today="2026-03-05"
    />,
  );
  const change = (label: string, value: string) =>
    fireEvent.change(screen.getByLabelText(label), { target: { value } });
  const submit = () => fireEvent.click(screen.getByRole('button', { name: '登记付款' }));
  return { onSubmit, onCancel, change, submit };
}

describe('RecordPayoutForm', () => {
  beforeEach(resetLanguage);

  it('names the household (masked) and the amount, and offers the three channels in Chinese', () => {
    setup();
    expect(screen.getByRole('heading', { name: '向 王*明 付款 ¥50.00' })).toBeTruthy();
    const options = Array.from((screen.getByLabelText('付款方式') as HTMLSelectElement).options).map(
      (o) => o.textContent,
    );
    expect(options).toEqual(['请选择', '银行转账', '移动支付', '现金']);
    expect((screen.getByLabelText('付款日期') as HTMLInputElement).value).toBe('2026-03-05');
  });

  it('says what is missing and does not submit', () => {
    const { onSubmit, submit } = setup();
    submit();
    expect(screen.getByText('请选择付款方式')).toBeTruthy();
    expect(screen.getByText('请填写付款凭证号')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('refuses a date after today', () => {
    const { onSubmit, change, submit } = setup();
    change('付款方式', 'cash');
    change('收据编号', 'R-001');
    change('付款日期', '2026-03-06');
    submit();
    expect(screen.getByText('付款日期不能晚于今天')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('labels the reference by channel and submits the trimmed values', () => {
    const { onSubmit, change, submit } = setup();
    change('付款方式', 'bank');
    change('银行流水号', '  BOC-20260305-01 ');
    change('付款日期', '2026-03-04');
    submit();
    expect(onSubmit).toHaveBeenCalledWith({ channel: 'bank', reference: 'BOC-20260305-01', paidOn: '2026-03-04' });
  });

  it('shows the server’s refusal and its field errors; cancel closes', () => {
    const error = new ApiError({
      statusCode: 409,
      code: 'PAYOUT_ALREADY_RECORDED',
      message: 'this payout has already been recorded',
    });
    const { onCancel } = setup({ message: '这笔兑付已经登记过了，不会重复入账', error });
    expect(screen.getByRole('alert').textContent).toContain('这笔兑付已经登记过了，不会重复入账');
    fireEvent.click(screen.getByRole('button', { name: '取消' }));
    expect(onCancel).toHaveBeenCalled();
  });
});
