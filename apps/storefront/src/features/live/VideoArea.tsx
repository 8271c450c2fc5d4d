import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ShowVideo } from '@xiangbo/contracts';
import { LivePlayer } from './video/LivePlayer';

/** Where the host's video plays, with the room's overlays (counts, tickers, chat) on top of it. */
export function VideoArea({
  children,
  poster,
  video,
}: {
  children?: ReactNode;
  poster?: string | null;
  video?: ShowVideo;
}) {
  const { t } = useTranslation('live');
  return (
    <section className="video" aria-label={t('room.video')} data-testid="video-area">
      {video && video.state !== 'off' ? (
        <LivePlayer video={video} poster={poster} />
      ) : (
        <div className="video__placeholder" style={poster ? { backgroundImage: `url(${poster})` } : undefined}>
          <span className="video__label">{t('room.video')}</span>
        </div>
      )}
      <div className="video__overlay">{children}</div>
    </section>
  );
}
