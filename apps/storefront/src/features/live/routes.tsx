import { Route } from 'react-router-dom';
import { lazyPage } from '../../app/lazy-page';

const ConsoleShowsPage = lazyPage(
  () => import('./ConsoleShowsPage'),
  (m) => m.ConsoleShowsPage,
  ['live'],
);
const HostConsolePage = lazyPage(
  () => import('./HostConsolePage'),
  (m) => m.HostConsolePage,
  ['live'],
);
const NotificationsPage = lazyPage(
  () => import('./NotificationsPage'),
  (m) => m.NotificationsPage,
  ['live'],
);
const ShowPage = lazyPage(
  () => import('./ShowPage'),
  (m) => m.ShowPage,
  ['live'],
);

/**
 * Owned by the live feature: /live/:showId, /notifications, /console/:coopId/shows[/:showId/host].
 * (/live itself is pages/LivePage.tsx, the tab bar's page, which renders the live list.)
 */
export const liveRoutes = [
  <Route key="live-show" path="live/:showId" element={<ShowPage />} />,
  <Route key="live-notifications" path="notifications" element={<NotificationsPage />} />,
  <Route key="live-console" path="console/:coopId/shows" element={<ConsoleShowsPage />} />,
  <Route key="live-host" path="console/:coopId/shows/:showId/host" element={<HostConsolePage />} />,
];
