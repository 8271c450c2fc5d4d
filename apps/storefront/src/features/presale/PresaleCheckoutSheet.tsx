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
import { presaleKeys } from './api';
import { presaleErrorMessage } from './format';

export interface PresaleCheckoutTarget {
  productId: string;
  productName: string;
  depositFen: number;
  balanceFen: number;
  maxQuantity: number;
}

/**
 * 预订: a bottom sheet with the quantity, the delivery address and what is paid now (the deposit, or everything for a
 * full prepayment) and later; the order goes through POST /api/orders (the API prices a pre-sale product at its
 * deposit) and on to the ordinary payment page (/pay/:paymentId: 演示支付 or Stripe).
 */
export function PresaleCheckoutSheet({ target, onClose }: { target: PresaleCheckoutTarget; onClose: () => void }) {
  const { t, i18n } = useTranslation('presale');
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
        const saved = await ordersApi.saveAddress(client, { ...address, isDefault: !addresses.data?.length });
        void queryClient.invalidateQueries({ queryKey: ['orders', 'addresses'] });
        setMode('saved');
        setSelectedId(saved.id);
      }
      return ordersApi.place(client, { items: [{ productId: target.productId, quantity }], address });
    },
    onSuccess: (res) => {
      void queryClient.invalidateQueries({ queryKey: presaleKeys.all });
      void queryClient.invalidateQueries({ queryKey: ['orders', 'mine'] });
      navigate(`/pay/${res.checkout.paymentId}`);
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

  const saved = addresses.data ?? [];
  const lang = i18n.language;
  return (
    <div className="ps-sheet-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <form
        className="ps-sheet"
        role="dialog"
        aria-modal="true"
        aria-label={t('sheet.title')}
        onSubmit={onSubmit}
        noValidate
      >
        <div className="ps-sheet__row">
          <h2 className="ps-sheet__title">{t('sheet.title')}</h2>
          <button type="button" className="ps-sheet__close" aria-label={t('sheet.close')} onClick={onClose}>
            ×
          </button>
        </div>
        <p className="ps-sheet__row">
          <span>{target.productName}</span>
          <span className="ps-badge">{t('badge')}</span>
        </p>
        <div className="ps-sheet__row">
          <span>{t('sheet.quantity')}</span>
          <QuantityStepper
            value={quantity}
            onChange={setQuantity}
            label={t('sheet.quantity')}
            max={Math.max(1, target.maxQuantity)}
          />
        </div>
        <section aria-labelledby="ps-address-heading">
          <h3 id="ps-address-heading" className="ps-sheet__subhead">
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
        <FormError message={place.isError ? presaleErrorMessage(t, tc, place.error) : null} />
        {target.balanceFen > 0 && (
          <p className="muted ps-sheet__later">
            {t('sheet.later', { amount: formatFen(target.balanceFen * quantity, lang) })}
          </p>
        )}
        <div className="ps-sheet__row ps-sheet__bar">
          <span>
            {t('sheet.payNow')}{' '}
            <strong className="ps-price" data-testid="presale-checkout-total">
              {formatFen(target.depositFen * quantity, lang)}
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
