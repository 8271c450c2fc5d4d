import { GROUP_BUY_LIMITS, type ConsoleGroupOffer } from '@xiangbo/contracts';
import { fenToYuanString, parseYuan } from '@xiangbo/domain';
import { Suspense, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../forms/Field';
import { FormError } from '../../forms/FormError';
import { Loading } from '../../layout/common';
import { formatDateTime, formatFen } from '../../format';
import { useGroupOffer, useSaveGroupOffer } from './api';
import { groupErrorMessage } from './errors';
import { GroupStatusBadge } from './GroupStatusBadge';
import './group-buys.css';

/**
 * The console's 拼团 settings of one product (成团人数, 拼团价, 成团时限, on/off) and its latest groups.
 * Mounted under the product form by the catalogue's edit page, for the cooperative's admins.
 */
export function GroupOfferEditor({ productId }: { productId: string }) {
  return (
    <Suspense fallback={<Loading />}>
      <Editor productId={productId} />
    </Suspense>
  );
}

function Editor({ productId }: { productId: string }) {
  const { t, i18n } = useTranslation('groupBuys');
  const { t: tc } = useTranslation();
  const offer = useGroupOffer(productId);
  if (offer.isPending) return <Loading />;
  if (offer.isError)
    return (
      <p role="alert" className="form-error">
        {groupErrorMessage(t, tc, offer.error)}
      </p>
    );
  return (
    <section className="card gb-editor" aria-labelledby="gb-editor-heading">
      <h2 id="gb-editor-heading" className="card__heading">
        {t('console.heading')}
      </h2>
      <p className="muted">{t('console.hint')}</p>
      <OfferForm key={productId} data={offer.data} />
      <h3 className="gb-card__subhead">{t('console.groups')}</h3>
      {offer.data.groups.length === 0 ? (
        <p className="muted">{t('console.noGroups')}</p>
      ) : (
        <ul className="gb-console-groups">
          {offer.data.groups.map((g) => (
            <li key={g.id}>
              <GroupStatusBadge status={g.status} />{' '}
              {t('console.groupRow', {
                joined: g.joined,
                size: g.size,
                status: t(`group.status.${g.status}`),
                time: formatDateTime(g.expiresAt, i18n.language),
              })}
            </li>
          ))}
        </ul>
      )}
      <p className="muted">{t('console.normal', { price: formatFen(offer.data.priceFen, i18n.language) })}</p>
    </section>
  );
}

function OfferForm({ data }: { data: ConsoleGroupOffer }) {
  const { t } = useTranslation('groupBuys');
  const { t: tc } = useTranslation();
  const [active, setActive] = useState(data.offer?.active ?? true);
  const [size, setSize] = useState(String(data.offer?.size ?? 3));
  const [price, setPrice] = useState(data.offer ? fenToYuanString(data.offer.groupPriceFen) : '');
  const [hours, setHours] = useState(String(data.offer?.windowHours ?? 24));
  const [problems, setProblems] = useState<{ size?: string; price?: string; hours?: string }>({});
  const save = useSaveGroupOffer(data.productId);
  const whole = (v: string, min: number, max: number) => {
    const n = Number(v);
    return Number.isInteger(n) && n >= min && n <= max ? n : null;
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const n = whole(size, GROUP_BUY_LIMITS.minSize, GROUP_BUY_LIMITS.maxSize);
    const h = whole(hours, GROUP_BUY_LIMITS.minWindowHours, GROUP_BUY_LIMITS.maxWindowHours);
    const fen = parseYuan(price);
    const next = {
      size: n === null ? tc('validation.invalid') : undefined,
      hours: h === null ? tc('validation.invalid') : undefined,
      price: fen === null || fen <= 0 || fen >= data.priceFen ? t('console.priceInvalid') : undefined,
    };
    setProblems(next);
    if (n === null || h === null || next.price || fen === null) return;
    save.mutate({ size: n, groupPriceFen: fen, windowHours: h, active });
  };
  return (
    <form className="gb-editor__form" onSubmit={onSubmit} noValidate>
      <label className="check-row">
        <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
        <span>{t('console.enabled')}</span>
      </label>
      <Field
        name="group-size"
        label={t('console.size')}
        value={size}
        onValueChange={setSize}
        inputMode="numeric"
        error={problems.size}
        hint={`${GROUP_BUY_LIMITS.minSize}–${GROUP_BUY_LIMITS.maxSize}`}
      />
      <Field
        name="group-price"
        label={t('console.price')}
        value={price}
        onValueChange={setPrice}
        inputMode="decimal"
        error={problems.price}
      />
      <Field
        name="group-window"
        label={t('console.window')}
        value={hours}
        onValueChange={setHours}
        inputMode="numeric"
        error={problems.hours}
        hint={`${GROUP_BUY_LIMITS.minWindowHours}–${GROUP_BUY_LIMITS.maxWindowHours}`}
      />
      <FormError message={save.isError ? groupErrorMessage(t, tc, save.error) : null} />
      <button type="submit" className="button button--primary" disabled={save.isPending}>
        {save.isPending ? t('console.saving') : t('console.save')}
      </button>
      {save.isSuccess && (
        <p role="status" className="notice notice--ok">
          {t('console.saved')}
        </p>
      )}
    </form>
  );
}
