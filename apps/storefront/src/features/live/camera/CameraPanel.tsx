import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiClient } from '../../../auth/auth-context';
import { CameraPublisher, QUALITY_STEPS, type PublisherState } from './camera-publisher';
import './camera.css';

const KNOWN_ERRORS = [
  'UNSUPPORTED',
  'CAMERA',
  'NOT_SIGNED_IN',
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAVAILABLE',
  'REFUSED',
  'INVALID',
  'INTERNAL',
] as const;

/**
 * 摄像头开播: the host's phone camera published to the show from this page (no OBS). One button starts a
 * scheduled show (`startShow`), opens the camera and publishes; then front/back, microphone, the preview, the
 * quality the uplink allows, and a stop button.
 */
export function CameraPanel({
  showId,
  canStart,
  startShow,
}: {
  showId: string;
  /** The show is scheduled or live. */
  canStart: boolean;
  /** Starts a scheduled show first (resolves false if that failed); live shows resolve true at once. */
  startShow: () => Promise<boolean>;
}) {
  const { t } = useTranslation('live');
  const client = useApiClient();
  const preview = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<PublisherState | null>(null);
  const publisher = useRef<CameraPublisher | null>(null);

  useEffect(
    () => () => {
      publisher.current?.close();
      publisher.current = null;
    },
    [],
  );

  const show = (stream: MediaStream | null) => {
    if (preview.current && stream) {
      preview.current.srcObject = stream;
      void preview.current.play().catch(() => undefined);
    }
  };

  const goLive = async () => {
    if (!(await startShow())) return;
    publisher.current ??= new CameraPublisher({ showId, token: () => client.getAccessToken(), onState: setState });
    await publisher.current.start();
    show(publisher.current.stream);
  };

  const status = state?.status ?? 'idle';
  const active = status === 'starting' || status === 'live' || status === 'reconnecting';
  const error = state?.error
    ? (KNOWN_ERRORS as readonly string[]).includes(state.error)
      ? state.error
      : 'INTERNAL'
    : null;
  return (
    <section className="card camera" aria-labelledby="camera-heading" data-testid="camera-panel">
      <h2 id="camera-heading" className="card__heading">
        {t('camera.heading')}
      </h2>
      <div className={`camera__preview${publisher.current?.stream ? '' : ' camera__preview--off'}`}>
        <video ref={preview} muted playsInline autoPlay aria-label={t('camera.preview')} />
        {active && (
          <span className={`camera__status camera__status--${status}`} role="status" data-testid="camera-status">
            {t(`camera.status.${status}`)} · {QUALITY_STEPS[state?.step ?? 0].label}
          </span>
        )}
      </div>
      {error && (
        <p role="alert" className="form-error">
          {t(`camera.error.${error as (typeof KNOWN_ERRORS)[number]}`)}
        </p>
      )}
      {active ? (
        <div className="camera__controls">
          <button
            type="button"
            className="button button--secondary"
            onClick={() => void publisher.current?.flip().then(show)}
          >
            {state?.facing === 'user' ? t('camera.useBack') : t('camera.useFront')}
          </button>
          <button
            type="button"
            className="button button--secondary"
            aria-pressed={!state?.micOn}
            onClick={() => publisher.current?.setMic(!state?.micOn)}
          >
            {state?.micOn ? t('camera.micOff') : t('camera.micOn')}
          </button>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => {
              publisher.current?.close();
              publisher.current = null;
              setState(null);
            }}
          >
            {t('camera.stop')}
          </button>
        </div>
      ) : (
        <button
          type="button"
          className="button button--buy button--block camera__go"
          data-testid="go-live-camera"
          disabled={!canStart}
          onClick={() => void goLive()}
        >
          {t('camera.goLive')}
        </button>
      )}
      <p className="field__hint">{t('camera.hint')}</p>
    </section>
  );
}
