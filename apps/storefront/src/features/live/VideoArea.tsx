import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Where the host's video plays. The player (low-latency HLS / WebRTC from the media server) is the video
 * feature's; until then this box holds the place and the overlays (counts, tickers, chat) sit on it.
 */
export function VideoArea({ children, poster }: { children?: ReactNode; poster?: string | null }) {
  const { t } = useTranslation('live');
  return (
    <section className="video" aria-label={t('room.video')} data-testid="video-area">
      <div className="video__placeholder" style={poster ? { backgroundImage: `url(${poster})` } : undefined}>
        <span className="video__label">{t('room.video')}</span>
        <span className="video__hint">{t('room.videoHint')}</span>
      </div>
      <div className="video__overlay">{children}</div>
    </section>
  );
}
