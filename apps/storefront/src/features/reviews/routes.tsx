import { Route } from 'react-router-dom';
import { lazyPage } from '../../app/lazy-page';

const OrderReviewPage = lazyPage(
  () => import('./OrderReviewPage'),
  (m) => m.OrderReviewPage,
  ['reviews'],
);
const ConsoleReviewsPage = lazyPage(
  () => import('./ConsoleReviewsPage'),
  (m) => m.ConsoleReviewsPage,
  ['reviews'],
);
const AdminReviewsPage = lazyPage(
  () => import('./ConsoleReviewsPage'),
  (m) => m.AdminReviewsPage,
  ['reviews'],
);

/** Owned by the reviews feature: /orders/:id/review, /console/:coopId/reviews, /admin/reviews. */
export const reviewRoutes = [
  <Route key="reviews-order" path="orders/:id/review" element={<OrderReviewPage />} />,
  <Route key="reviews-console" path="console/:coopId/reviews" element={<ConsoleReviewsPage />} />,
  <Route key="reviews-admin" path="admin/reviews" element={<AdminReviewsPage />} />,
];
