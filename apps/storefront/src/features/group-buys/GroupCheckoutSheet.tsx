import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AddressInput } from '@xiangbo/contracts';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useApiClient } from '../../auth/auth-context';
import { FormError } from '../../forms/FormError';
import { focusFirstInvalid, type FieldProblem } from '../../forms/validation';
import { ordersApi } from '../orders/api';
import { AddressFields, AddressPicker } from '../orders/CheckoutPage';
import { EMPTY_ADDRESS, validateAddress, type AddressField, type AddressValues } from '../orders/address-form';
import { formatFen } from '../orders/format';
import { QuantityStepper } from '../orders/QuantityStepper';
import { groupBuyKeys, groupBuysApi } from './api';
import { groupErrorMessage } from './format';

export type GroupCheckoutTarget =
  | { kind: 'open'; productId: string; productName: string; unitPriceFen: number; maxQuantity: number }
  | { kind: 'join'; groupId: string; productName: string; unitPriceFen: number; maxQuantity: number };

/**
 * 发起拼团 / 参与拼团: a bottom sheet with the quantity, the delivery address (the address book's picker and fields
 * of checkout) and the total at the group price; placing it opens the member's order and goes to the ordinary
 * payment page (/pay/:paymentId: 演示支付 or Stripe).
 */
export function GroupCheckoutSheet({ target, onClose }: { target: GroupCheckoutTarget; onClose: () => void }) {
  const { t, i18n } = useTranslation('groupBuys');
  const { t: to } = useTranslation('orders');
  const { t: tc } = useTranslation();
  const client = useApiClient();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const addresses = useQuery({
    queryKey: ['orders', 'addresses'],
    queryFn: ({ signal }) => ordersApi.addresses(client, signal),
  });
  const [quantity, setQuantity] = useState(1);
  const [mode, setMode] = useState<'saved' | 'new' | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [values, setValues] = useState<AddressValues>(EMPTY_ADDRESS);
  const [problems, setProblems] = useState<Partial<Record<AddressField, FieldProblem>>>({});

  useEffect(() => {
    if (!addresses.data || mode !== null) return;
    const first = addresses.data.find((a) => a.isDefault) ?? addresses.data[0];
    setMode(first ? 'saved' : 'new');
    setSelectedId(first?.id ?? null);
  }, [addresses.data, mode]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const place = useMutation({
    mutationFn: async (address: AddressInput) => {
      if (mode === 'new') {
        // Saved to the address book first, as checkout does (the next group starts from it).
        const saved = await ordersApi.saveAddress(client, { ...address, isDefault: !addresses.data?.length });
        void queryClient.invalidateQueries({ queryKey: ['orders', 'addresses'] });
        setMode('saved');
        setSelectedId(saved.id);
      }
      return target.kind === 'open'
        ? groupBuysApi.open(client, { productId: target.productId, quantity, address })
        : groupBuysApi.join(client, target.groupId, { quantity, address });
    },
    onSuccess: (res) => {
      void queryClient.invalidateQueries({ queryKey: groupBuyKeys.all });
      void queryClient.invalidateQueries({ queryKey: ['orders', 'mine'] });
      navigate(`/pay/${res.paymentId}`);
    },
  });

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    place.reset();
    if (mode === 'saved') {
      const a = addresses.data?.find((x) => x.id === selectedId);
      if (!a) return;
      place.mutate({
        recipient: a.recipient,
        mobile: a.mobile,
        province: a.province,
        city: a.city,
        district: a.district,
        detail: a.detail,
      });
      return;
    }
    const check = validateAddress(values);
    if (!check.ok) {
      setProblems(check.problems);
      focusFirstInvalid(e.currentTarget, Object.keys(check.problems));
      return;
    }
    setProblems({});
    place.mutate(check.address);
  }

  const title = target.kind === 'open' ? t('sheet.openTitle') : t('sheet.joinTitle');
  const saved = addresses.data ?? [];
  return (
    <div className="gb-sheet-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <form className="gb-sheet" role="dialog" aria-modal="true" aria-label={title} onSubmit={onSubmit} noValidate>
        <div className="gb-sheet__head">
          <h2 className="gb-sheet__title">{title}</h2>
          <button type="button" className="gb-sheet__close" aria-label={t('sheet.close')} onClick={onClose}>
            ×
          </button>
        </div>
        <p className="gb-sheet__product">
          <span>{target.productName}</span>
          <strong className="gb-price">{formatFen(target.unitPriceFen, i18n.language)}</strong>
        </p>
        <div className="gb-sheet__row">
          <span>{t('sheet.quantity')}</span>
          <QuantityStepper
            value={quantity}
            onChange={setQuantity}
            label={t('sheet.quantity')}
            max={Math.max(1, target.maxQuantity)}
          />
        </div>
        <section aria-labelledby="gb-address-heading">
          <h3 id="gb-address-heading" className="gb-sheet__subhead">
            {t('sheet.address')}
          </h3>
          {mode === 'saved' && saved.length > 0 ? (
            <>
              <AddressPicker addresses={saved} selectedId={selectedId} onSelect={setSelectedId} />
              <button type="button" className="button button--secondary" onClick={() => setMode('new')}>
                {t('sheet.add')}
              </button>
            </>
          ) : mode === 'new' ? (
            <>
              <AddressFields
                values={values}
                onChange={(field, v) => setValues((old) => ({ ...old, [field]: v }))}
                errorFor={(field) => {
                  const p = problems[field];
                  return p ? tc(`validation.${p.key}`, p.values) : undefined;
                }}
              />
              {saved.length > 0 && (
                <button type="button" className="button button--secondary" onClick={() => setMode('saved')}>
                  {to('checkout.useSaved')}
                </button>
              )}
            </>
          ) : null}
        </section>
        <FormError message={place.isError ? groupErrorMessage(t, tc, place.error) : null} />
        <div className="gb-sheet__bar">
          <span>
            {t('sheet.total')}{' '}
            <strong className="gb-price" data-testid="group-checkout-total">
              {formatFen(target.unitPriceFen * quantity, i18n.language)}
            </strong>
          </span>
          <button type="submit" className="button button--buy" disabled={place.isPending || mode === null}>
            {place.isPending ? t('sheet.submitting') : t('sheet.submit')}
          </button>
        </div>
      </form>
    </div>
  );
}
