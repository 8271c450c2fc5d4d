import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RECOMMENDED_OBS_SETTINGS, type ConsoleShow } from '@xiangbo/contracts';
import { useResetStreamKey, useStreamSettings } from './api';
import { apiErrorMessage } from '../../../i18n/api-errors';

/**
 * The host console's stream panel: where to point OBS or a phone streaming app (server URL and key, with copy
 * buttons; the key hidden until asked), what the media server receives right now (bitrate, fps, dropped
 * frames), the recommended encoder settings, the steps, and a key reset for a leaked key.
 */
export function StreamPanel({ show }: { show: ConsoleShow }) {
  const { t } = useTranslation('live');
  const { t: tc } = useTranslation();
  const [showKey, setShowKey] = useState(false);
  const [copied, setCopied] = useState<string | null>(null);
  const settings = useStreamSettings(show.id);
  const reset = useResetStreamKey(show.id);
  const copy = async (what: string, text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(what);
      setTimeout(() => setCopied(null), 2000);
    } catch {
      setCopied(null);
    }
  };

  if (settings.isPending) return null;
  if (settings.isError)
    return (
      <p role="alert" className="form-error">
        {apiErrorMessage(tc, settings.error)}
      </p>
    );
  const s = settings.data;
  const ingest = s.ingest;
  const o = RECOMMENDED_OBS_SETTINGS;
  return (
    <section className="card stream" aria-labelledby="stream-heading" data-testid="stream-panel">
      <h2 id="stream-heading" className="card__heading">
        {t('stream.heading')}
      </h2>
      {!s.available && <p className="live-notice">{t('stream.unavailable')}</p>}
      <p className={`stream__status stream__status--${ingest.receiving ? 'on' : 'off'}`} data-testid="ingest-status">
        <span className="stream__dot" aria-hidden="true" />
        {ingest.receiving ? t('stream.receiving') : t('stream.notReceiving')}
      </p>
      {ingest.receiving && (
        <dl className="figures figures--stream">
          <div className="figures__item">
            <dt>{t('stream.bitrate')}</dt>
            <dd>{ingest.bitrateKbps} kbps</dd>
          </div>
          <div className="figures__item">
            <dt>{t('stream.fps')}</dt>
            <dd>{ingest.fps}</dd>
          </div>
          <div className="figures__item">
            <dt>{t('stream.dropped')}</dt>
            <dd>{ingest.droppedFrames}</dd>
          </div>
          {ingest.video && (
            <div className="figures__item">
              <dt>{t('stream.video')}</dt>
              <dd>{ingest.video}</dd>
            </div>
          )}
        </dl>
      )}
      {!ingest.receiving && ingest.lastRefusal && (
        <p role="alert" className="form-error">
          {t(`stream.refusal.${ingest.lastRefusal}`, { defaultValue: ingest.lastRefusal })}
        </p>
      )}

      <div className="stream__field">
        <label htmlFor="stream-server">{t('stream.server')}</label>
        <div className="stream__copy">
          <input id="stream-server" readOnly value={s.serverUrl} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" className="button button--secondary" onClick={() => void copy('server', s.serverUrl)}>
            {copied === 'server' ? t('stream.copied') : t('stream.copy')}
          </button>
        </div>
      </div>
      <div className="stream__field">
        <label htmlFor="stream-key">{t('stream.key')}</label>
        <div className="stream__copy">
          <input
            id="stream-key"
            readOnly
            type={showKey ? 'text' : 'password'}
            value={s.streamKey}
            onFocus={(e) => e.currentTarget.select()}
            data-testid="stream-key"
          />
          <button type="button" className="button button--secondary" onClick={() => setShowKey((v) => !v)}>
            {showKey ? t('stream.hide') : t('stream.show')}
          </button>
          <button type="button" className="button button--secondary" onClick={() => void copy('key', s.streamKey)}>
            {copied === 'key' ? t('stream.copied') : t('stream.copy')}
          </button>
        </div>
        <p className="field__hint">{t('stream.keySecret')}</p>
      </div>
      <button
        type="button"
        className="button button--secondary"
        disabled={reset.isPending}
        onClick={() => window.confirm(t('stream.resetConfirm')) && reset.mutate()}
      >
        {t('stream.reset')}
      </button>
      {reset.isError && (
        <p role="alert" className="form-error">
          {apiErrorMessage(tc, reset.error)}
        </p>
      )}

      <details className="stream__help">
        <summary>{t('stream.howTo')}</summary>
        <ol>
          <li>{t('stream.steps.obs1')}</li>
          <li>{t('stream.steps.obs2')}</li>
          <li>{t('stream.steps.obs3')}</li>
          <li>{t('stream.steps.obs4')}</li>
        </ol>
        <p>{t('stream.steps.phone', { url: s.publishUrl.replace(s.streamKey, '••••') })}</p>
        <p className="field__hint">{t('stream.steps.browser')}</p>
        <h3 className="stream__subheading">{t('stream.obsSettings')}</h3>
        <dl className="stream__settings">
          <dt>{t('stream.settings.encoder')}</dt>
          <dd>{o.encoder}</dd>
          <dt>{t('stream.settings.rate')}</dt>
          <dd>
            {o.rateControl} {o.videoBitrateKbps} kbps
          </dd>
          <dt>{t('stream.settings.keyframe')}</dt>
          <dd>{t('stream.settings.seconds', { n: o.keyframeIntervalSeconds })}</dd>
          <dt>{t('stream.settings.preset')}</dt>
          <dd>
            {o.preset} / {o.tune} / {o.profile}
          </dd>
          <dt>{t('stream.settings.resolution')}</dt>
          <dd>
            {o.resolution}, {o.fps} fps
          </dd>
          <dt>{t('stream.settings.audio')}</dt>
          <dd>{o.audio}</dd>
        </dl>
      </details>
    </section>
  );
}
