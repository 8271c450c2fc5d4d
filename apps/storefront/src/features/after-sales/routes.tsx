import { Route } from 'react-router-dom';
import { lazyPage } from '../../app/lazy-page';

const ConsoleAfterSalesPage = lazyPage(
  () => import('./ConsoleAfterSalesPage'),
  (m) => m.ConsoleAfterSalesPage,
  ['afterSales'],
);

const AdminDisputesPage = lazyPage(
  () => import('./AdminDisputesPage'),
  (m) => m.AdminDisputesPage,
  ['afterSales'],
);

/**
 * Owned by the after-sales feature: /console/:coopId/after-sales and the platform's /admin/after-sales (售后纠纷);
 * the buyer's part is on the order page.
 */
export const afterSalesRoutes = [
  <Route key="after-sales-console" path="console/:coopId/after-sales" element={<ConsoleAfterSalesPage />} />,
  <Route key="after-sales-admin" path="admin/after-sales" element={<AdminDisputesPage />} />,
];
