import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { FormError } from '../../forms/FormError';
import { AddressChoice, addressInputOf, useAddressChoice, type AddressChosen } from '../orders/address-choice';
import { formatFen } from '../../format';
import { QuantityStepper } from '../orders/QuantityStepper';
import { usePlacePresaleOrder } from './api';
import { presaleErrorMessage } from './errors';
import { useCloseOnEscape } from '../../layout/useCloseOnEscape';

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
  const { t: tc } = useTranslation();
  const navigate = useNavigate();
  const choice = useAddressChoice();
  const [quantity, setQuantity] = useState(1);

  useCloseOnEscape(onClose);

  const place = usePlacePresaleOrder(
    async (chosen: AddressChosen) => {
      // A new address goes into the address book first, as checkout does (the next order starts from it).
      const address = chosen.kind === 'saved' ? addressInputOf(chosen.address) : chosen.address;
      if (chosen.kind === 'new') await choice.save(chosen.address);
      return { items: [{ productId: target.productId, quantity }], address };
    },
    { onSuccess: (res) => navigate(`/pay/${res.checkout.paymentId}`) },
  );

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    place.reset();
    const chosen = choice.read(e.currentTarget);
    if (chosen) place.mutate(chosen);
  }

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
          <AddressChoice choice={choice} addLabel={t('sheet.add')} />
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
          <button type="submit" className="button button--buy" disabled={place.isPending || !choice.ready}>
            {place.isPending ? t('sheet.submitting') : t('sheet.submit')}
          </button>
        </div>
      </form>
    </div>
  );
}
