import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { FormError } from '../../forms/FormError';
import { AddressChoice, addressInputOf, useAddressChoice, type AddressChosen } from '../orders/address-choice';
import { formatFen } from '../../format';
import { QuantityStepper } from '../orders/QuantityStepper';
import { useTakeSeat } from './api';
import { groupErrorMessage } from './errors';
import { useCloseOnEscape } from '../../layout/useCloseOnEscape';

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
  const { t: tc } = useTranslation();
  const navigate = useNavigate();
  const choice = useAddressChoice();
  const [quantity, setQuantity] = useState(1);

  useCloseOnEscape(onClose);

  const place = useTakeSeat(
    async (chosen: AddressChosen) => {
      // A new address goes into the address book first, as checkout does (the next order starts from it).
      const address = chosen.kind === 'saved' ? addressInputOf(chosen.address) : chosen.address;
      if (chosen.kind === 'new') await choice.save(chosen.address);
      return target.kind === 'open'
        ? { kind: 'open', body: { productId: target.productId, quantity, address } }
        : { kind: 'join', groupId: target.groupId, body: { quantity, address } };
    },
    { onSuccess: (res) => navigate(`/pay/${res.paymentId}`) },
  );

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    place.reset();
    const chosen = choice.read(e.currentTarget);
    if (chosen) place.mutate(chosen);
  }

  const title = target.kind === 'open' ? t('sheet.openTitle') : t('sheet.joinTitle');
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
          <AddressChoice choice={choice} addLabel={t('sheet.add')} />
        </section>
        <FormError message={place.isError ? groupErrorMessage(t, tc, place.error) : null} />
        <div className="gb-sheet__bar">
          <span>
            {t('sheet.total')}{' '}
            <strong className="gb-price" data-testid="group-checkout-total">
              {formatFen(target.unitPriceFen * quantity, i18n.language)}
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
