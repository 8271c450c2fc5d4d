import { Route } from 'react-router-dom';
import { lazyPage } from '../../app/lazy-page';

const ConsolePresalesPage = lazyPage(
  () => import('./ConsolePresalesPage'),
  (m) => m.ConsolePresalesPage,
  ['presale', 'catalog', 'coop'],
);

/** Owned by the pre-sale feature: /console/:coopId/presales. */
export const presaleRoutes = [
  <Route key="presale-console" path="console/:coopId/presales" element={<ConsolePresalesPage />} />,
];
