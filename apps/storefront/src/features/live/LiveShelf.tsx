import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useShows } from './hooks';
import { ShowGrid } from './LiveListPage';
import './live.css';

/** For the home page: live now, else the next upcoming shows (with 订阅 / 关注). */
export function LiveShelf() {
  const { t } = useTranslation('live');
  const live = useShows('live', 4);
  const upcoming = useShows('scheduled', 4);
  const liveShows = live.data?.items ?? [];
  const next = upcoming.data?.items ?? [];
  return (
    <div className="live-shelf" data-testid="live-shelf">
      {liveShows.length ? <ShowGrid shows={liveShows} /> : <p className="placeholder">{t('shelf.none')}</p>}
      {next.length > 0 && (
        <>
          <h3 className="live-shelf__sub">{t('shelf.upcoming')}</h3>
          <ShowGrid shows={next.slice(0, liveShows.length ? 2 : 4)} />
        </>
      )}
      <Link to="/live" className="live-shelf__all">
        {t('shelf.all')}
      </Link>
    </div>
  );
}
