import { Route } from 'react-router-dom';
import { lazyPage } from '../../app/lazy-page';

const ConsoleAfterSalesPage = lazyPage(
  () => import('./ConsoleAfterSalesPage'),
  (m) => m.ConsoleAfterSalesPage,
  ['afterSales'],
);

/** Owned by the after-sales feature: /console/:coopId/after-sales (the buyer's part is on the order page). */
export const afterSalesRoutes = [
  <Route key="after-sales-console" path="console/:coopId/after-sales" element={<ConsoleAfterSalesPage />} />,
];
