import { Route } from 'react-router-dom';
import { ConsoleShowsPage } from './ConsoleShowsPage';
import { HostConsolePage } from './HostConsolePage';
import { NotificationsPage } from './NotificationsPage';
import { ShowPage } from './ShowPage';

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
