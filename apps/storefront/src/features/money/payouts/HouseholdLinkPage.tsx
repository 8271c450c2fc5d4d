import type { TFunction } from 'i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { confirmByCodeSchema, type ConfirmPayoutResponse, type HouseholdLinkView } from '@xiangbo/contracts';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { isApiError } from '../../../api/client';
import { useApiClient } from '../../../auth/auth-context';
import { Loading } from '../../../layout/common';
import { useDocumentTitle } from '../../../layout/useDocumentTitle';
import { payoutsApi } from './api';
import { payoutErrorMessage } from './errors';
import { formatDate, formatDateTime, formatFen } from '../../../format';
import { StatementView } from './StatementView';
import './payouts.css';

/**
 * /h/:token — the household's own page, opened on a phone from the SMS the platform sent to the number in the
 * registry, without an account: who paid, how much, how and when; the 6-digit code from the same SMS and one big
 * button to confirm receipt; its statement. The link alone confirms nothing.
 */
export function HouseholdLinkPage() {
  const { t } = useTranslation('money');
  const { token = '' } = useParams();
  const client = useApiClient();
  useDocumentTitle(t('payouts.household.documentTitle'));
  const view = useQuery({
    queryKey: ['household-link', token],
    queryFn: ({ signal }) => payoutsApi.link(client, token, signal),
    retry: false,
  });
  if (view.isPending) return <Loading />;
  if (view.isError) return <LinkProblem error={view.error} />;
  return <HouseholdPayout token={token} view={view.data} />;
}

function LinkProblem({ error }: { error: unknown }) {
  const { t } = useTranslation('money');
  const { t: tc } = useTranslation();
  const notFound = isApiError(error) && error.status === 404;
  return (
    <div className="page household-page" role="alert">
      <h1 className="household-page__heading">
        {notFound ? t('payouts.household.invalidTitle') : t('payouts.household.loadFailed')}
      </h1>
      <p className="household-page__lead">
        {notFound ? t('payouts.household.invalidBody') : payoutErrorMessage(t, tc, error)}
      </p>
    </div>
  );
}

export function HouseholdPayout({ token, view }: { token: string; view: HouseholdLinkView }) {
  const { t, i18n } = useTranslation('money');
  const { t: tc } = useTranslation();
  const client = useApiClient();
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const confirm = useMutation({
    mutationFn: (c: string) => payoutsApi.confirm(client, token, c),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['household-link', token] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!/^\d{6}$/.test(code)) {
      setCodeError(t('payouts.household.badCode'));
      return;
    }
    setCodeError(null);
    confirm.mutate(code);
  };
  const p = view.payout;
  const confirmedAt = confirm.data?.confirmedAt ?? p.confirmedAt;
  const amount = formatFen(p.amountFen, i18n.language);
  return (
    <div className="page household-page">
      <p className="household-page__coop">{view.cooperative.name}</p>
      <h1 className="household-page__heading">{t('payouts.household.greeting', { name: view.householdNameMasked })}</h1>
      <section className="household-payout" aria-labelledby="household-payout-title">
        <h2 id="household-payout-title" className="household-payout__label">
          {t('payouts.household.paidYou')}
        </h2>
        <p className="household-payout__amount" data-testid="household-amount">
          {amount}
        </p>
        <p className="household-payout__how">
          {p.channel ? t(`payouts.channels.${p.channel}`) : ''}
          {p.paidOn ? ` · ${formatDate(p.paidOn, i18n.language)}` : ''}
        </p>
        {confirmedAt ? (
          <p className="household-payout__confirmed" role="status">
            {confirm.data && !confirm.data.alreadyConfirmed
              ? t('payouts.household.thanks')
              : t('payouts.household.confirmedAt', { at: formatDateTime(confirmedAt, i18n.language) })}
          </p>
        ) : (
          <>
            <p className="household-payout__ask">{t('payouts.household.ask')}</p>
            <form className="form household-code" onSubmit={submit} noValidate>
              <CodeFields
                label={t('payouts.household.codeFromSms')}
                code={code}
                onCode={setCode}
                error={codeError ?? (confirm.isError ? codeErrorMessage(t, tc, confirm.error) : undefined)}
                pending={confirm.isPending}
              />
            </form>
            <p className="household-payout__notReceived">{t('payouts.household.notReceived')}</p>
          </>
        )}
      </section>
      <section className="household-statement" aria-labelledby="household-statement-title">
        <h2 id="household-statement-title" className="section__heading">
          {t('payouts.household.statementTitle', { coop: view.cooperative.name })}
        </h2>
        <StatementView statement={view.statement} large />
      </section>
    </div>
  );
}

/** /h/code?p=<payoutId> — confirming with the 6-digit code, for a household that received the code only. */
export function HouseholdCodePage() {
  const { t } = useTranslation('money');
  const { t: tc } = useTranslation();
  const client = useApiClient();
  const [params] = useSearchParams();
  useDocumentTitle(t('payouts.household.codeTitle'));
  const [payoutId, setPayoutId] = useState(params.get('p') ?? '');
  const [code, setCode] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const confirm = useMutation({
    mutationFn: () => payoutsApi.confirmByCode(client, { payoutId: payoutId.trim(), code: code.trim() }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = confirmByCodeSchema.safeParse({ payoutId: payoutId.trim(), code: code.trim() });
    if (!parsed.success) {
      setFieldError(
        parsed.error.issues[0]?.path[0] === 'payoutId'
          ? t('payouts.household.badPayoutId')
          : t('payouts.household.badCode'),
      );
      return;
    }
    setFieldError(null);
    confirm.mutate();
  };
  const done: ConfirmPayoutResponse | undefined = confirm.data;
  return (
    <div className="page household-page">
      <h1 className="household-page__heading">{t('payouts.household.codeTitle')}</h1>
      {done ? (
        <p className="household-payout__confirmed" role="status">
          {done.alreadyConfirmed ? t('payouts.household.alreadyConfirmed') : t('payouts.household.thanks')}
        </p>
      ) : (
        <form className="form household-code" onSubmit={submit} noValidate>
          {!params.get('p') && (
            <label className="field">
              <span className="field__label">{t('payouts.household.payoutId')}</span>
              <input
                className="field__input"
                value={payoutId}
                onChange={(e) => setPayoutId(e.target.value)}
                autoComplete="off"
              />
            </label>
          )}
          <CodeFields
            label={t('payouts.household.code')}
            code={code}
            onCode={setCode}
            error={fieldError ?? (confirm.isError ? codeErrorMessage(t, tc, confirm.error) : undefined)}
            pending={confirm.isPending}
          />
        </form>
      )}
      <p className="muted">
        <Link to="/">{t('payouts.household.home')}</Link>
      </p>
    </div>
  );
}

/** The 6-digit code from the SMS, its error and the confirm button: the same on the link page and the code page. */
function CodeFields({
  label,
  code,
  onCode,
  error,
  pending,
}: {
  label: string;
  code: string;
  onCode: (code: string) => void;
  error: string | undefined;
  pending: boolean;
}) {
  const { t } = useTranslation('money');
  return (
    <>
      <label className="field">
        <span className="field__label">{label}</span>
        <input
          className="field__input household-code__input"
          value={code}
          onChange={(e) => onCode(e.target.value.replace(/\D/g, '').slice(0, 6))}
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="\d{6}"
        />
      </label>
      {error && (
        <p role="alert" className="field__error">
          {error}
        </p>
      )}
      <button
        type="submit"
        className="button button--primary button--block household-payout__confirm"
        disabled={pending}
      >
        {pending ? t('payouts.household.confirming') : t('payouts.household.confirm')}
      </button>
    </>
  );
}

function codeErrorMessage(t: TFunction<'money'>, tc: TFunction, error: unknown) {
  if (isApiError(error) && error.code === 'WRONG_CODE') {
    const left = error.body.details?.['attemptsLeft'];
    return typeof left === 'number'
      ? t('payouts.household.wrongCodeLeft', { count: left })
      : t('payouts.errors.WRONG_CODE');
  }
  return payoutErrorMessage(t, tc, error);
}
