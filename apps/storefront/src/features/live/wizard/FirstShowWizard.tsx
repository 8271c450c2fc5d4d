import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ConsoleProduct, ConsoleShow } from '@xiangbo/contracts';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useApiClient } from '../../../auth/auth-context';
import { Field } from '../../../forms/Field';
import { FormError } from '../../../forms/FormError';
import { apiErrorMessage } from '../../../i18n/api-errors';
import { Loading } from '../../../layout/common';
import { liveApi } from '../api';
import { formatShowTime } from '../../../format/show-time';
import {
  showRequestFrom,
  stepProblem,
  suggestedStarts,
  suggestedTitle,
  WIZARD_STEPS,
  type DraftProblem,
  type FirstShowDraft,
  type WizardStep,
} from './first-show';
import './wizard.css';

/**
 * The first show of a cooperative, in three steps on one screen: choose products → title and time → check the
 * camera and learn how to go live from the phone. It creates the show through the console API (the same request as
 * the schedule form) and then points to the host console.
 */
export function FirstShowWizard({ coopId, onClose }: { coopId: string; onClose?: () => void }) {
  const { t, i18n } = useTranslation('live');
  const { t: tc } = useTranslation();
  const client = useApiClient();
  const queryClient = useQueryClient();
  const products = useQuery({
    queryKey: ['live', 'console-products', coopId],
    queryFn: ({ signal }) =>
      client.request<ConsoleProduct[]>(`/api/console/cooperatives/${encodeURIComponent(coopId)}/products`, { signal }),
  });
  const starts = useRef(suggestedStarts()).current;
  const [step, setStep] = useState<WizardStep>('products');
  const [draft, setDraft] = useState<FirstShowDraft>({ productIds: [], title: '', start: starts[0].value });
  const [titleEdited, setTitleEdited] = useState(false);
  const [problem, setProblem] = useState<DraftProblem | null>(null);
  const [created, setCreated] = useState<ConsoleShow | null>(null);
  const onSale = (products.data ?? []).filter((p) => p.published);

  // Every product on sale is in the first show unless the admin unticks it.
  const seeded = useRef(false);
  useEffect(() => {
    if (seeded.current || !products.data) return;
    seeded.current = true;
    setDraft((d) => ({ ...d, productIds: onSale.map((p) => p.id) }));
  }, [products.data, onSale]);

  const create = useMutation({
    mutationFn: () => {
      const body = showRequestFrom(draft);
      if (!body) throw new Error('invalid draft');
      return liveApi.create(client, coopId, body);
    },
    onSuccess: (show) => setCreated(show),
  });

  const index = WIZARD_STEPS.indexOf(step);
  const next = (e: FormEvent) => {
    e.preventDefault();
    const p = stepProblem(step, draft);
    setProblem(p);
    if (p) return;
    if (step === 'products') {
      if (!titleEdited) {
        const names = onSale.filter((x) => draft.productIds.includes(x.id)).map((x) => x.nameZh);
        setDraft((d) => ({ ...d, title: suggestedTitle(names) }));
      }
      setStep('when');
    } else if (step === 'when') setStep('camera');
    else create.mutate();
  };
  const back = () => {
    setProblem(null);
    setStep(WIZARD_STEPS[Math.max(0, index - 1)]);
  };
  const finish = () => {
    void queryClient.invalidateQueries({ queryKey: ['live'] });
    onClose?.();
  };

  if (created) {
    return (
      <section className="card wizard" aria-labelledby="wizard-heading" data-testid="first-show-wizard">
        <h2 id="wizard-heading" className="card__heading">
          {t('wizard.doneHeading')}
        </h2>
        <p role="status" className="notice notice--ok">
          {t('wizard.done', { title: created.title, time: formatShowTime(created.scheduledAt, i18n.language) })}
        </p>
        <div className="button-row">
          <Link to={`/console/${coopId}/shows/${created.id}/host`} className="button button--buy" onClick={finish}>
            {t('console.host')}
          </Link>
          <Link to={`/live/${created.id}`} className="button button--secondary" onClick={finish}>
            {t('wizard.viewPage')}
          </Link>
          <button type="button" className="button button--secondary" onClick={finish}>
            {t('wizard.finish')}
          </button>
        </div>
      </section>
    );
  }

  return (
    <form
      className="card form wizard"
      onSubmit={next}
      noValidate
      aria-labelledby="wizard-heading"
      data-testid="first-show-wizard"
    >
      <h2 id="wizard-heading" className="card__heading">
        {t('wizard.heading')}
      </h2>
      <p className="wizard__progress">{t('wizard.progress', { n: index + 1, total: WIZARD_STEPS.length })}</p>
      <ol className="wizard__steps">
        {WIZARD_STEPS.map((s, i) => (
          <li
            key={s}
            className={
              i === index
                ? 'wizard__step wizard__step--current'
                : i < index
                  ? 'wizard__step wizard__step--done'
                  : 'wizard__step'
            }
            aria-current={i === index ? 'step' : undefined}
          >
            {t(`wizard.steps.${s}`)}
          </li>
        ))}
      </ol>

      {step === 'products' && (
        <fieldset className="pick-products">
          <legend className="field__label">{t('wizard.productsLegend')}</legend>
          <p className="field__hint">{t('wizard.productsHint')}</p>
          {products.isPending && <Loading />}
          {products.isError && <FormError message={apiErrorMessage(tc, products.error)} />}
          {products.isSuccess && !onSale.length && (
            <p className="placeholder">
              {t('wizard.noProducts')}{' '}
              <Link to={`/console/${coopId}/products/new`} className="button-link">
                {t('wizard.addProduct')}
              </Link>
            </p>
          )}
          {onSale.map((p) => (
            <label key={p.id} className="pick-products__item wizard__product">
              <input
                type="checkbox"
                checked={draft.productIds.includes(p.id)}
                onChange={(e) =>
                  setDraft((d) => ({
                    ...d,
                    productIds: e.target.checked ? [...d.productIds, p.id] : d.productIds.filter((x) => x !== p.id),
                  }))
                }
              />
              {p.coverThumbUrl && <img src={p.coverThumbUrl} alt="" className="wizard__thumb" />}
              <span>{p.nameZh}</span>
            </label>
          ))}
        </fieldset>
      )}

      {step === 'when' && (
        <>
          <Field
            name="wizard-title"
            label={t('console.titleField')}
            value={draft.title}
            onValueChange={(v) => {
              setTitleEdited(true);
              setDraft((d) => ({ ...d, title: v }));
            }}
            error={problem === 'title' ? t('wizard.problems.title') : undefined}
            maxLength={60}
          />
          <fieldset className="wizard__times">
            <legend className="field__label">{t('console.scheduledAt')}</legend>
            {starts.map((s) => (
              <label key={s.key} className="wizard__time">
                <input
                  type="radio"
                  name="wizard-start"
                  checked={draft.start === s.value}
                  onChange={() => setDraft((d) => ({ ...d, start: s.value }))}
                />
                <span>
                  {t(`wizard.starts.${s.key}`)} · {formatShowTime(new Date(s.value).toISOString(), i18n.language)}
                </span>
              </label>
            ))}
          </fieldset>
          <Field
            name="wizard-start-custom"
            type="datetime-local"
            label={t('wizard.otherTime')}
            value={draft.start}
            onValueChange={(v) => setDraft((d) => ({ ...d, start: v }))}
            error={problem === 'start' || problem === 'past' ? t(`wizard.problems.${problem}`) : undefined}
          />
        </>
      )}

      {step === 'camera' && (
        <>
          <CameraCheck />
          <section aria-labelledby="wizard-phone-heading">
            <h3 id="wizard-phone-heading" className="wizard__subheading">
              {t('wizard.phoneHeading')}
            </h3>
            <ol className="wizard__howto">
              <li>{t('wizard.phone1')}</li>
              <li>{t('wizard.phone2')}</li>
              <li>{t('wizard.phone3')}</li>
            </ol>
          </section>
          <p className="wizard__summary" data-testid="wizard-summary">
            {t('wizard.summary', {
              title: draft.title.trim(),
              time: Number.isNaN(new Date(draft.start).getTime())
                ? ''
                : formatShowTime(new Date(draft.start).toISOString(), i18n.language),
              n: draft.productIds.length,
            })}
          </p>
        </>
      )}

      {problem && problem !== 'title' && problem !== 'start' && problem !== 'past' && (
        <p role="alert" className="form-error">
          {t(`wizard.problems.${problem}`)}
        </p>
      )}
      {step === 'camera' && problem && (problem === 'title' || problem === 'start' || problem === 'past') && (
        <p role="alert" className="form-error">
          {t(`wizard.problems.${problem}`)}
        </p>
      )}
      <FormError message={create.isError ? apiErrorMessage(tc, create.error) : null} />
      <div className="button-row">
        {index > 0 && (
          <button type="button" className="button button--secondary" onClick={back}>
            {t('wizard.back')}
          </button>
        )}
        <button type="submit" className="button button--primary" disabled={create.isPending}>
          {step === 'camera' ? (create.isPending ? t('console.creating') : t('console.create')) : t('wizard.next')}
        </button>
        {onClose && (
          <button type="button" className="button-link" onClick={onClose}>
            {t('wizard.skip')}
          </button>
        )}
      </div>
    </form>
  );
}

type CameraState = 'idle' | 'checking' | 'ok' | 'denied' | 'unsupported';

/** Opens the camera and microphone once, shows the picture, and closes them again (nothing is sent anywhere). */
function CameraCheck() {
  const { t } = useTranslation('live');
  const [state, setState] = useState<CameraState>('idle');
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  const mounted = useRef(true);
  const stop = () => {
    stream.current?.getTracks().forEach((tr) => tr.stop());
    stream.current = null;
  };
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      stop();
    };
  }, []);

  async function check() {
    if (!navigator.mediaDevices?.getUserMedia) return setState('unsupported');
    setState('checking');
    try {
      stop();
      const got = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: true });
      // the step may have been left while the browser asked: then the camera and microphone go off at once
      if (!mounted.current) return got.getTracks().forEach((tr) => tr.stop());
      stream.current = got;
      if (video.current) {
        video.current.srcObject = stream.current;
        await video.current.play().catch(() => undefined);
      }
      setState('ok');
    } catch {
      setState('denied');
    }
  }

  return (
    <section className="wizard__camera" aria-labelledby="wizard-camera-heading">
      <h3 id="wizard-camera-heading" className="wizard__subheading">
        {t('wizard.cameraHeading')}
      </h3>
      <video ref={video} className="wizard__preview" muted playsInline hidden={state !== 'ok'} />
      {state === 'ok' && (
        <p role="status" className="notice notice--ok">
          {t('wizard.cameraOk')}
        </p>
      )}
      {state === 'denied' && (
        <p role="alert" className="form-error">
          {t('wizard.cameraDenied')}
        </p>
      )}
      {state === 'unsupported' && (
        <p role="alert" className="form-error">
          {t('wizard.cameraUnsupported')}
        </p>
      )}
      <button
        type="button"
        className="button button--secondary"
        onClick={() => void check()}
        disabled={state === 'checking'}
      >
        {state === 'ok' ? t('wizard.cameraAgain') : t('wizard.cameraCheck')}
      </button>
      <p className="field__hint">{t('wizard.cameraHint')}</p>
    </section>
  );
}
