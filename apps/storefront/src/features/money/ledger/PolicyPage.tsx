import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { hasRole, type SharingPolicyDto, type SharingPolicyInput } from '@xiangbo/contracts';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { useApiClient, useAuth } from '../../../auth/auth-context';
import { EmptyState, Loading } from '../../../layout/common';
import { useDocumentTitle } from '../../../layout/useDocumentTitle';
import { ConsoleShell } from '../../console/ConsoleShell';
import { ledgerApi, ledgerKeys } from './api';
import { ledgerErrorMessage } from './errors';
import { bpToPercent, formatDateTime, formatFen } from '../../../format';
import {
  EMPTY_FORM,
  EXAMPLE,
  exampleSplit,
  formFromPolicy,
  readPolicyForm,
  withoutPlatformFee,
  type PolicyForm,
  type PolicyFormField,
} from './policy-form';
import { SplitBar } from './SplitBar';
import './ledger.css';

/** /console/:coopId/policy (利益联结机制): the versions and a form for the next one, with a live worked example. */
export function PolicyPage() {
  const { t } = useTranslation('money');
  useDocumentTitle(t('ledger.policy.title'));
  return (
    <ConsoleShell section="policy" title={t('ledger.policy.title')}>
      <Policies />
    </ConsoleShell>
  );
}

function Policies() {
  const { t } = useTranslation('money');
  const { t: tc } = useTranslation();
  const { coopId = '' } = useParams();
  const { user } = useAuth();
  const canManage = hasRole(user, 'coop_admin', coopId);
  const client = useApiClient();
  const list = useQuery({
    queryKey: ledgerKeys.policies(coopId),
    queryFn: ({ signal }) => ledgerApi.policies(client, coopId, signal),
  });
  if (list.isPending) return <Loading />;
  if (list.isError) {
    return (
      <div role="alert" className="form-error">
        <strong className="form-error__title">{t('ledger.policy.loadFailed')}</strong>
        <span>{ledgerErrorMessage(t, tc, list.error)}</span>
      </div>
    );
  }
  const versions = list.data.versions;
  return (
    <div className="ledger">
      <p className="muted ledger__intro">{t('ledger.policy.intro')}</p>
      {versions.length === 0 && <p className="ledger__notice ledger__notice--warn">{t('ledger.policy.none')}</p>}
      {canManage ? (
        <NewVersionForm coopId={coopId} latest={versions[0] ?? null} platformFeeBp={list.data.platformFeeBp} />
      ) : (
        <p className="ledger__notice">{t('ledger.policy.readOnly')}</p>
      )}
      <h2 className="section__heading">{t('ledger.policy.history')}</h2>
      {versions.length === 0 ? (
        <EmptyState title={t('ledger.policy.noVersions')} />
      ) : (
        <VersionList versions={versions} />
      )}
    </div>
  );
}

function VersionList({ versions }: { versions: SharingPolicyDto[] }) {
  const { t, i18n } = useTranslation('money');
  return (
    <ol className="policy-versions">
      {versions.map((v) => (
        <li key={v.version} className="card policy-version">
          <div className="policy-version__head">
            <strong>{t('ledger.policy.version', { version: v.version })}</strong>
            {v.inForce && <span className="ledger-badge ledger-badge--ok">{t('ledger.policy.inForce')}</span>}
            {!v.inForce && Date.parse(v.effectiveFrom) > Date.now() && (
              <span className="ledger-badge">{t('ledger.policy.scheduled')}</span>
            )}
          </div>
          <p className="muted">
            {t('ledger.policy.effectiveFrom', { at: formatDateTime(v.effectiveFrom, i18n.language) })}
            {v.createdByName ? ` · ${t('ledger.policy.by', { name: v.createdByName })}` : ''}
          </p>
          <dl className="details policy-version__parts">
            <Row label={t('ledger.fields.platformFee')} value={`${bpToPercent(v.platformFeeBp)}%`} />
            <Row
              label={t('ledger.fields.purchase')}
              value={
                v.purchase.kind === 'percent'
                  ? `${bpToPercent(v.purchase.bp)}%`
                  : t('ledger.policy.perUnit', { price: formatFen(v.purchase.fenPerUnit, i18n.language) })
              }
            />
            <Row label={t('ledger.fields.dividend')} value={`${bpToPercent(v.dividendBp)}%`} />
            <Row label={t('ledger.fields.wages')} value={`${bpToPercent(v.wagesBp)}%`} />
            <Row
              label={t('ledger.fields.couponCarrier')}
              value={t(
                v.couponCarrier === 'platform' ? 'ledger.policy.couponPlatform' : 'ledger.policy.couponCooperative',
              )}
            />
            <Row
              label={t('ledger.fields.weights')}
              value={t('ledger.policy.weightsValue', {
                registered: v.dividendWeights.registered,
                monitored: v.dividendWeights.monitored,
                lifted: v.dividendWeights.lifted,
                none: v.dividendWeights.none,
              })}
            />
          </dl>
          {v.note && <p className="policy-version__note">{v.note}</p>}
        </li>
      ))}
    </ol>
  );
}

function Row({ label, value }: { label: string; value: string }) {
  return (
    <div className="details__row">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/**
 * The next version's form. The platform's fee is the platform's (set by the platform admin): shown read-only, used
 * in the worked example, and never sent — the server applies the one in force.
 */
function NewVersionForm({
  coopId,
  latest,
  platformFeeBp,
}: {
  coopId: string;
  latest: SharingPolicyDto | null;
  platformFeeBp: number;
}) {
  const { t, i18n } = useTranslation('money');
  const { t: tc } = useTranslation();
  const client = useApiClient();
  const queryClient = useQueryClient();
  const [typed, setForm] = useState<PolicyForm>(latest ? formFromPolicy(latest) : EMPTY_FORM);
  const form: PolicyForm = { ...typed, platformFeePct: bpToPercent(platformFeeBp) };
  const [submitted, setSubmitted] = useState(false);
  const [saved, setSaved] = useState<number | null>(null);
  const { input, errors } = readPolicyForm(form);
  const split = exampleSplit(form);
  const save = useMutation({
    mutationFn: (body: SharingPolicyInput) => ledgerApi.createPolicy(client, coopId, withoutPlatformFee(body)),
    onSuccess: (v) => {
      setSaved(v.version);
      setSubmitted(false);
      void queryClient.invalidateQueries({ queryKey: ledgerKeys.policies(coopId) });
    },
  });
  const set = (field: PolicyFormField) => (e: { target: { value: string } }) => {
    setSaved(null);
    setForm((f) => ({ ...f, [field]: e.target.value }));
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (input) save.mutate(input);
  };
  const err = (field: PolicyFormField) => (submitted || form[field] !== '') && errors[field];
  const pctField = (field: PolicyFormField, label: string, hint?: string) => (
    <div className={`field${err(field) ? ' field--invalid' : ''}`}>
      <label className="field__label" htmlFor={`policy-${field}`}>
        {label}
      </label>
      <div className="ledger-input-suffix">
        <input
          id={`policy-${field}`}
          className="field__input"
          inputMode="decimal"
          value={form[field]}
          onChange={set(field)}
          aria-invalid={Boolean(err(field))}
          aria-describedby={`policy-${field}-help`}
        />
        <span aria-hidden="true">%</span>
      </div>
      <span id={`policy-${field}-help`} className={err(field) ? 'field__error' : 'field__hint'}>
        {err(field) ? t(`ledger.policy.errors.${errors[field] ?? 'percent'}`) : (hint ?? '')}
      </span>
    </div>
  );
  const weightField = (field: PolicyFormField, label: string) => (
    <div className={`field${err(field) ? ' field--invalid' : ''}`}>
      <label className="field__label" htmlFor={`policy-${field}`}>
        {label}
      </label>
      <div className="ledger-input-suffix">
        <input
          id={`policy-${field}`}
          className="field__input"
          inputMode="numeric"
          value={form[field]}
          onChange={set(field)}
          aria-invalid={Boolean(err(field))}
        />
        <span aria-hidden="true">%</span>
      </div>
      {err(field) && <span className="field__error">{t(`ledger.policy.errors.${errors[field] ?? 'percent'}`)}</span>}
    </div>
  );

  return (
    <form className="card form policy-form" onSubmit={onSubmit} noValidate aria-labelledby="policy-form-heading">
      <h2 id="policy-form-heading" className="card__heading">
        {latest ? t('ledger.policy.newVersion', { version: latest.version + 1 }) : t('ledger.policy.firstVersion')}
      </h2>
      <p className="muted">{t('ledger.policy.formHint')}</p>
      <div className="policy-form__grid">
        <div className="field">
          <label className="field__label" htmlFor="policy-platformFeePct">
            {t('ledger.fields.platformFee')}
          </label>
          <div className="ledger-input-suffix">
            <input
              id="policy-platformFeePct"
              className="field__input"
              value={form.platformFeePct}
              readOnly
              aria-readonly="true"
              aria-describedby="policy-platformFeePct-help"
            />
            <span aria-hidden="true">%</span>
          </div>
          <span id="policy-platformFeePct-help" className="field__hint">
            {t('ledger.policy.platformSetBy')}
          </span>
        </div>
        <fieldset className="policy-form__purchase">
          <legend className="field__label">{t('ledger.fields.purchase')}</legend>
          <div className="ledger-radios">
            <label>
              <input
                type="radio"
                name="purchaseKind"
                value="percent"
                checked={form.purchaseKind === 'percent'}
                onChange={set('purchaseKind')}
              />{' '}
              {t('ledger.policy.kindPercent')}
            </label>
            <label>
              <input
                type="radio"
                name="purchaseKind"
                value="per_unit"
                checked={form.purchaseKind === 'per_unit'}
                onChange={set('purchaseKind')}
              />{' '}
              {t('ledger.policy.kindPerUnit')}
            </label>
          </div>
          {form.purchaseKind === 'percent' ? (
            pctField('purchasePct', t('ledger.policy.purchasePct'), t('ledger.policy.ofNet'))
          ) : (
            <div className={`field${err('purchaseYuanPerUnit') ? ' field--invalid' : ''}`}>
              <label className="field__label" htmlFor="policy-purchaseYuanPerUnit">
                {t('ledger.policy.purchaseYuan')}
              </label>
              <div className="ledger-input-suffix">
                <span aria-hidden="true">¥</span>
                <input
                  id="policy-purchaseYuanPerUnit"
                  className="field__input"
                  inputMode="decimal"
                  value={form.purchaseYuanPerUnit}
                  onChange={set('purchaseYuanPerUnit')}
                  aria-invalid={Boolean(err('purchaseYuanPerUnit'))}
                />
              </div>
              <span className={err('purchaseYuanPerUnit') ? 'field__error' : 'field__hint'}>
                {err('purchaseYuanPerUnit') ? t('ledger.policy.errors.yuan') : t('ledger.policy.perUnitHint')}
              </span>
            </div>
          )}
        </fieldset>
        {pctField('dividendPct', t('ledger.fields.dividend'), t('ledger.policy.ofNet'))}
        {pctField('wagesPct', t('ledger.fields.wages'), t('ledger.policy.ofNet'))}
      </div>
      <fieldset className="policy-form__weights">
        <legend className="field__label">{t('ledger.fields.weights')}</legend>
        <p className="field__hint">{t('ledger.policy.weightsHint')}</p>
        <div className="policy-form__grid policy-form__grid--4">
          {weightField('weightRegistered', t('ledger.status.registered'))}
          {weightField('weightMonitored', t('ledger.status.monitored'))}
          {weightField('weightLifted', t('ledger.status.lifted'))}
          {weightField('weightNone', t('ledger.status.none'))}
        </div>
      </fieldset>
      <div className="policy-form__grid">
        <div className={`field${err('effectiveFrom') ? ' field--invalid' : ''}`}>
          <label className="field__label" htmlFor="policy-effectiveFrom">
            {t('ledger.policy.effectiveFromLabel')}
          </label>
          <input
            id="policy-effectiveFrom"
            type="datetime-local"
            className="field__input"
            value={form.effectiveFrom}
            onChange={set('effectiveFrom')}
          />
          <span className={err('effectiveFrom') ? 'field__error' : 'field__hint'}>
            {err('effectiveFrom') ? t('ledger.policy.errors.date') : t('ledger.policy.effectiveFromHint')}
          </span>
        </div>
        <div className="field">
          <label className="field__label" htmlFor="policy-note">
            {t('ledger.policy.note')}
          </label>
          <input
            id="policy-note"
            className="field__input"
            maxLength={500}
            value={form.note}
            onChange={set('note')}
            placeholder={t('ledger.policy.notePlaceholder')}
          />
        </div>
      </div>

      <section className="policy-example" aria-live="polite" aria-labelledby="policy-example-heading">
        <h3 id="policy-example-heading" className="policy-example__heading">
          {t('ledger.policy.exampleHeading', { price: formatFen(EXAMPLE.grossFen, i18n.language) })}
        </h3>
        {split ? (
          <>
            <SplitBar
              parts={[
                { key: 'fees', fen: split.processingFeeFen + split.platformFeeFen, label: t('ledger.parts.fees') },
                { key: 'purchase', fen: split.purchaseFen, label: t('ledger.parts.purchase') },
                { key: 'dividend', fen: split.dividendFen, label: t('ledger.parts.dividend') },
                { key: 'wages', fen: split.wagesFen, label: t('ledger.parts.wages') },
                { key: 'retained', fen: split.retainedFen, label: t('ledger.parts.retained') },
              ]}
            />
            <dl className="ledger-rows policy-example__rows" data-testid="policy-example">
              <ExampleRow label={t('ledger.parts.processingFee')} fen={split.processingFeeFen} />
              <ExampleRow label={t('ledger.parts.platformFee')} fen={split.platformFeeFen} />
              <ExampleRow
                label={t('ledger.parts.purchaseHouseholds', {
                  amounts: split.purchaseByHousehold.map((h) => formatFen(h.amount, i18n.language)).join(' / '),
                })}
                fen={split.purchaseFen}
              />
              <ExampleRow label={t('ledger.parts.dividend')} fen={split.dividendFen} />
              <ExampleRow label={t('ledger.parts.wages')} fen={split.wagesFen} />
              <ExampleRow label={t('ledger.parts.retained')} fen={split.retainedFen} />
            </dl>
            <p className="muted">{t('ledger.policy.exampleAssumptions')}</p>
          </>
        ) : (
          <p className="muted">{t('ledger.policy.exampleInvalid')}</p>
        )}
      </section>

      {save.isError && (
        <p role="alert" className="form-error">
          {ledgerErrorMessage(t, tc, save.error)}
        </p>
      )}
      {saved !== null && (
        <p role="status" className="ledger__notice ledger__notice--ok">
          {t('ledger.policy.saved', { version: saved })}
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={save.isPending}>
          {save.isPending ? t('ledger.policy.saving') : t('ledger.policy.save')}
        </button>
      </div>
      <p className="muted">{t('ledger.policy.immutable')}</p>
    </form>
  );
}

function ExampleRow({ label, fen }: { label: string; fen: number }) {
  const { i18n } = useTranslation('money');
  return (
    <div>
      <dt>{label}</dt>
      <dd>{formatFen(fen, i18n.language)}</dd>
    </div>
  );
}
