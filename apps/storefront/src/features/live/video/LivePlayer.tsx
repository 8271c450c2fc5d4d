import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ShowVideo } from '@xiangbo/contracts';
import { attachHls, attachFlv, type Detach } from './players';

/** After this many failures of the low-latency path in a row, HLS takes over until the page is reloaded. */
const FLV_FAILURES_BEFORE_HLS = 2;
/** currentTime not moving for this long while playing = the stream dropped: reconnect. */
const STALL_MS = 6000;

/**
 * The live room's player. HTTP-FLV through mpegts.js first (about a second behind the host); HLS where Media
 * Source Extensions are missing (iOS Safari plays HLS itself) or when FLV keeps failing; a stalled or dropped
 * stream is reconnected with back-off. Starts muted (browsers allow muted autoplay); one tap turns sound on.
 */
export function LivePlayer({ video, poster }: { video: ShowVideo; poster?: string | null }) {
  const { t } = useTranslation('live');
  const ref = useRef<HTMLVideoElement>(null);
  const [attempt, setAttempt] = useState(0);
  const [flvFailures, setFlvFailures] = useState(0);
  const [mode, setMode] = useState<'flv' | 'hls' | null>(null);
  const [playing, setPlaying] = useState(false);
  const [muted, setMuted] = useState(true);
  const [landscape, setLandscape] = useState(false);

  const useHls = !video.flvUrl || flvFailures >= FLV_FAILURES_BEFORE_HLS;
  useEffect(() => {
    const el = ref.current;
    if (!el || video.state !== 'on') return;
    let detach: Detach | null = null;
    let cancelled = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const fail = (kind: 'flv' | 'hls') => {
      if (cancelled) return;
      setPlaying(false);
      if (kind === 'flv') setFlvFailures((n) => n + 1);
      retry = setTimeout(() => setAttempt((a) => a + 1), Math.min(1000 * 2 ** Math.min(attempt, 4), 10_000));
    };
    const start = async () => {
      if (!useHls && video.flvUrl) {
        detach = await attachFlv(el, video.flvUrl, () => fail('flv'));
        if (detach) return setMode('flv');
      }
      if (video.hlsUrl) {
        detach = await attachHls(el, video.hlsUrl, () => fail('hls'));
        if (detach) return setMode('hls');
      }
      setMode(null);
    };
    void start().then(() => {
      if (cancelled) detach?.();
      else void el.play().catch(() => undefined);
    });
    // A dropped stream: the video stops advancing; reconnect.
    let last = -1;
    let lastMove = Date.now();
    const watch = setInterval(() => {
      if (el.currentTime !== last) {
        last = el.currentTime;
        lastMove = Date.now();
        setPlaying(el.currentTime > 0);
      } else if (Date.now() - lastMove > STALL_MS) {
        lastMove = Date.now();
        fail(useHls ? 'hls' : 'flv');
      }
    }, 1000);
    return () => {
      cancelled = true;
      clearInterval(watch);
      clearTimeout(retry);
      detach?.();
    };
    // attempt is the reconnect trigger
  }, [video.state, video.flvUrl, video.hlsUrl, useHls, attempt]);

  return (
    <div
      className="player"
      data-testid="live-player"
      data-mode={mode ?? ''}
      data-orientation={landscape ? 'landscape' : 'portrait'}
    >
      <video
        ref={ref}
        onResize={(e) => setLandscape(e.currentTarget.videoWidth > e.currentTarget.videoHeight)}
        className="player__video"
        muted={muted}
        playsInline
        autoPlay
        poster={poster ?? undefined}
        aria-label={t('video.player')}
      />
      {video.state !== 'on' && (
        <div className="player__note" role="status">
          {t('video.waiting')}
        </div>
      )}
      {video.state === 'on' && !playing && (
        <div className="player__note" role="status">
          {t('video.connecting')}
        </div>
      )}
      {video.state === 'on' && muted && (
        <button type="button" className="player__sound" onClick={() => setMuted(false)}>
          {t('video.unmute')}
        </button>
      )}
    </div>
  );
}
