import type { ShowListItem } from '@xiangbo/contracts';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useAuth } from '../../auth/auth-context';
import { apiErrorMessage } from '../../i18n/api-errors';
import { EmptyState, Loading } from '../../layout/common';
import { LiveIcon } from '../../layout/icons';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { useShows } from './hooks';
import { ShowCard } from './ShowCard';
import './live.css';

/** /live: who is live now (直播中), what is coming (订阅 / 关注), and replays. */
export function LiveListPage() {
  const { t } = useTranslation('live');
  const { status } = useAuth();
  useDocumentTitle(t('title'));
  const live = useShows('live');
  const upcoming = useShows('scheduled');
  const ended = useShows('ended', 6);
  return (
    <div className="page live-list">
      <div className="live-list__head">
        <h1 className="page__heading">{t('list.heading')}</h1>
        {status === 'signedIn' && (
          <Link to="/notifications" className="button button--secondary live-list__bell">
            {t('list.notifications')}
          </Link>
        )}
      </div>
      <Section
        title={t('list.liveNow')}
        query={live}
        empty={<EmptyState icon={<LiveIcon />} title={t('list.noLive')} hint={t('list.noLiveHint')} headingLevel={3} />}
      />
      <Section
        title={t('list.upcoming')}
        query={upcoming}
        empty={<p className="placeholder">{t('list.noUpcoming')}</p>}
      />
      {Boolean(ended.data?.items.length) && <Section title={t('list.ended')} query={ended} empty={null} />}
    </div>
  );
}

function Section({
  title,
  query,
  empty,
}: {
  title: string;
  query: ReturnType<typeof useShows>;
  empty: React.ReactNode;
}) {
  const { t: tc } = useTranslation();
  return (
    <section className="section" aria-label={title}>
      <h2 className="section__heading">{title}</h2>
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <p role="alert" className="form-error">
          {apiErrorMessage(tc, query.error)}
        </p>
      ) : query.data.items.length ? (
        <ShowGrid shows={query.data.items} />
      ) : (
        empty
      )}
    </section>
  );
}

export function ShowGrid({ shows }: { shows: ShowListItem[] }) {
  return (
    <ul className="show-grid">
      {shows.map((s) => (
        <li key={s.id}>
          <ShowCard show={s} />
        </li>
      ))}
    </ul>
  );
}
