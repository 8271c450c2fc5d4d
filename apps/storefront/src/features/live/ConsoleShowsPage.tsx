import { createShowSchema, type ConsoleShow } from '@xiangbo/contracts';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { Field } from '../../forms/Field';
import { FormError } from '../../forms/FormError';
import { apiErrorMessage, apiFieldErrors } from '../../i18n/api-errors';
import { EmptyState, Loading } from '../../layout/common';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { ConsoleShell } from '../console/ConsoleShell';
import { useConsoleProducts } from '../catalog/hooks';
import { useCancelShow, useConsoleShows, useCreateShow } from './hooks';
import { formatShowTime, localInputToIso } from '../../format';
import { FirstShowWizard } from './wizard/FirstShowWizard';
import './live.css';

/** /console/:coopId/shows: the cooperative's shows and the form to schedule one. */
export function ConsoleShowsPage() {
  const { t } = useTranslation('live');
  const { t: tc } = useTranslation();
  const { coopId = '' } = useParams();
  const [creating, setCreating] = useState(false);
  useDocumentTitle(t('console.title'));
  const shows = useConsoleShows(coopId);
  return (
    <ConsoleShell section="shows" title={t('console.title')}>
      {creating ? (
        <ScheduleForm coopId={coopId} onDone={() => setCreating(false)} />
      ) : (
        <div className="live-toolbar">
          <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
            {t('console.schedule')}
          </button>
        </div>
      )}
      {shows.isPending ? (
        <Loading />
      ) : shows.isError ? (
        <p role="alert" className="form-error">
          {apiErrorMessage(tc, shows.error)}
        </p>
      ) : shows.data.length === 0 ? (
        creating ? (
          <EmptyState title={t('console.empty')} hint={t('console.emptyHint')} />
        ) : (
          // A cooperative with no show yet is walked through its first one.
          <FirstShowWizard coopId={coopId} />
        )
      ) : (
        <ul className="console-shows">
          {shows.data.map((s) => (
            <ConsoleShowRow key={s.id} coopId={coopId} show={s} />
          ))}
        </ul>
      )}
    </ConsoleShell>
  );
}

function ConsoleShowRow({ coopId, show }: { coopId: string; show: ConsoleShow }) {
  const { t, i18n } = useTranslation('live');
  const cancel = useCancelShow(show.id);
  return (
    <li className="console-show" data-testid="console-show">
      <div className="console-show__body">
        <h2 className="console-show__title">
          {show.title} <span className={`badge badge--${show.status}`}>{t(`status.${show.status}`)}</span>
        </h2>
        <p className="console-show__meta">
          {formatShowTime(show.scheduledAt, i18n.language)} · {t('list.products', { n: show.productCount })} ·{' '}
          {t('list.subscribers', { n: show.subscriberCount })}
        </p>
      </div>
      <div className="console-show__actions">
        {(show.status === 'scheduled' || show.status === 'live') && show.canManage && (
          <Link to={`/console/${coopId}/shows/${show.id}/host`} className="button button--buy">
            {t('console.host')}
          </Link>
        )}
        <Link to={`/live/${show.id}`} className="button button--secondary">
          {t('console.view')}
        </Link>
        {show.status === 'scheduled' && show.canManage && (
          <button
            type="button"
            className="button button--secondary"
            disabled={cancel.isPending}
            onClick={() => cancel.mutate()}
          >
            {t('console.cancel')}
          </button>
        )}
      </div>
    </li>
  );
}

function defaultStart(): string {
  const d = new Date(Date.now() + 86400_000);
  d.setHours(19, 30, 0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function ScheduleForm({ coopId, onDone }: { coopId: string; onDone: () => void }) {
  const { t } = useTranslation('live');
  const { t: tc } = useTranslation();
  const products = useConsoleProducts(coopId);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [start, setStart] = useState(defaultStart);
  const [picked, setPicked] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useCreateShow(coopId, { onSuccess: onDone, onError: (e) => setErrors(apiFieldErrors(e)) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = createShowSchema.safeParse({ title, scheduledAt: localInputToIso(start) ?? '', productIds: picked });
    if (!parsed.success) {
      const next: Record<string, string> = {};
      for (const i of parsed.error.issues) next[String(i.path[0])] ??= i.message;
      return setErrors(next);
    }
    setErrors({});
    create.mutate({
      title,
      description: description || undefined,
      scheduledAt: localInputToIso(start) ?? '',
      productIds: picked,
    });
  };
  const published = (products.data ?? []).filter((p) => p.published);
  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby="schedule-heading">
      <h2 id="schedule-heading" className="card__heading">
        {t('console.scheduleHeading')}
      </h2>
      <FormError message={create.isError ? apiErrorMessage(tc, create.error) : null} />
      <Field
        name="show-title"
        label={t('console.titleField')}
        value={title}
        onValueChange={setTitle}
        error={errors.title}
        maxLength={60}
      />
      <Field
        name="show-description"
        label={t('console.description')}
        value={description}
        onValueChange={setDescription}
        maxLength={500}
      />
      <Field
        name="show-start"
        type="datetime-local"
        label={t('console.scheduledAt')}
        value={start}
        onValueChange={setStart}
        error={errors.scheduledAt}
      />
      <fieldset className="pick-products">
        <legend className="field__label">{t('console.products')}</legend>
        <p className="field__hint">{t('console.productsHint')}</p>
        {products.isPending && <Loading />}
        {!products.isPending && !published.length && <p className="placeholder">{t('console.noProducts')}</p>}
        {published.map((p) => (
          <label key={p.id} className="pick-products__item">
            <input
              type="checkbox"
              checked={picked.includes(p.id)}
              onChange={(e) => setPicked((s) => (e.target.checked ? [...s, p.id] : s.filter((x) => x !== p.id)))}
            />
            <span>{p.nameZh}</span>
          </label>
        ))}
        {errors.productIds && <p className="field__error">{errors.productIds}</p>}
      </fieldset>
      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={create.isPending}>
          {create.isPending ? t('console.creating') : t('console.create')}
        </button>
        <button type="button" className="button button--secondary" onClick={onDone}>
          {t('address.cancel')}
        </button>
      </div>
    </form>
  );
}
