import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { apiErrorMessage } from '../../i18n/api-errors';
import { EmptyState, Loading } from '../../layout/common';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { ConsoleShell } from '../console/ConsoleShell';
import { useConsoleProduct, useCreateLot, useLots, useMemberHouseholds } from './hooks';
import { useCanEditCatalog } from './ConsoleProductsPage';
import { formatDate } from '../../format';
import { LotForm } from './LotForm';
import { StatusBadge } from './StatusBadge';
import './catalog.css';
import './console-strings'; // the console's Chinese strings, merged into `catalog` (see there)

type LotErrorCode = 'LOT_SUPPLY_MISMATCH' | 'LOT_DUPLICATE_HOUSEHOLD' | 'LOT_HOUSEHOLD_NOT_MEMBER' | 'LOT_CODE_TAKEN';
const LOT_ERRORS: readonly string[] = [
  'LOT_SUPPLY_MISMATCH',
  'LOT_DUPLICATE_HOUSEHOLD',
  'LOT_HOUSEHOLD_NOT_MEMBER',
  'LOT_CODE_TAKEN',
];

/** /console/:coopId/products/:productId/lots: the product's lots with their (masked) suppliers, and a form to add one. */
export function ConsoleLotsPage() {
  const { t } = useTranslation('catalog');
  useDocumentTitle(t('lots.title'));
  return (
    <ConsoleShell section="products" title={t('lots.title')}>
      <Lots />
    </ConsoleShell>
  );
}

function Lots() {
  const { t, i18n } = useTranslation('catalog');
  const { t: tc } = useTranslation();
  const { coopId = '', productId = '' } = useParams();
  const canEdit = useCanEditCatalog(coopId);
  const [formKey, setFormKey] = useState(0);
  const [created, setCreated] = useState(false);

  const product = useConsoleProduct(productId);
  const lots = useLots(productId);
  const households = useMemberHouseholds(coopId, canEdit);
  const create = useCreateLot(productId, {
    onSuccess: () => {
      setFormKey((k) => k + 1);
      setCreated(true);
    },
  });

  if (product.isPending || lots.isPending) return <Loading />;
  if (product.isError || lots.isError)
    return (
      <p role="alert" className="form-error">
        {apiErrorMessage(tc, product.error ?? lots.error)}
      </p>
    );
  const unit = t(`unit.${product.data.unit}`);
  const lotError = (e: unknown) =>
    isApiError(e) && LOT_ERRORS.includes(e.code)
      ? `${t(`lots.errors.${e.code as LotErrorCode}`)} ${e.body.message}`
      : apiErrorMessage(tc, e);

  return (
    <div className="lots-page">
      <p>
        <Link to={`/console/${coopId}/products`} className="button-link">
          ‹ {t('console.back')}
        </Link>
      </p>
      <h2 className="section__heading">{t('lots.heading', { name: product.data.nameZh })}</h2>
      <p className="muted">{t('lots.lead')}</p>

      <div className="console-edit__columns">
        <div>
          {lots.data.length === 0 ? (
            <EmptyState title={t('lots.empty')} hint={canEdit ? t('lots.emptyHint') : undefined} headingLevel={3} />
          ) : (
            <ul className="lot-list">
              {lots.data.map((l) => (
                <li key={l.id} className="card lot-card">
                  <h3 className="lot-card__title">{t('trace.lotCode', { code: l.code })}</h3>
                  <p className="muted lot-card__meta">
                    {t('lots.harvested', { date: formatDate(l.harvestDate, i18n.language) })} · {l.quantity}
                    {unit}
                  </p>
                  {l.note && <p className="muted">{l.note}</p>}
                  <p className="lot-card__count">{t('lots.suppliedBy', { n: l.supplies.length })}</p>
                  <ul className="trace__households">
                    {l.supplies.map((s) => (
                      <li key={s.householdId} className="trace__household">
                        <span className="trace__name">{s.maskedName}</span>
                        <StatusBadge status={s.status} />
                        <span className="trace__qty">{t('trace.supplied', { quantity: s.quantity, unit })}</span>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          )}
        </div>
        {canEdit && (
          <div>
            {created && (
              <p role="status" className="notice notice--ok">
                {t('lots.created')}
              </p>
            )}
            {households.isPending ? (
              <Loading />
            ) : households.isError ? (
              <p role="alert" className="form-error">
                {apiErrorMessage(tc, households.error)}
              </p>
            ) : households.data.length === 0 ? (
              <p className="notice">{t('lots.noMembers')}</p>
            ) : (
              <LotForm
                key={formKey}
                households={households.data}
                unitLabel={unit}
                pending={create.isPending}
                serverError={create.isError ? lotError(create.error) : null}
                onSubmit={(body) => {
                  setCreated(false);
                  create.mutate(body);
                }}
              />
            )}
          </div>
        )}
      </div>
    </div>
  );
}
