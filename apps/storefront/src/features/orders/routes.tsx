import { Route } from 'react-router-dom';
import { lazyPage } from '../../app/lazy-page';

const CartPage = lazyPage(
  () => import('./CartPage'),
  (m) => m.CartPage,
  ['orders'],
);
const CheckoutPage = lazyPage(
  () => import('./CheckoutPage'),
  (m) => m.CheckoutPage,
  ['orders'],
);
const ConsoleOrdersPage = lazyPage(
  () => import('./ConsoleOrdersPage'),
  (m) => m.ConsoleOrdersPage,
  ['orders'],
);
const OrderDetailPage = lazyPage(
  () => import('./OrderDetailPage'),
  (m) => m.OrderDetailPage,
  ['orders'],
);
const OrdersPage = lazyPage(
  () => import('./OrdersPage'),
  (m) => m.OrdersPage,
  ['orders'],
);
const PayPage = lazyPage(
  () => import('./PayPage'),
  (m) => m.PayPage,
  ['orders'],
);

/** Owned by the orders feature: /cart, /checkout, /pay/:paymentId, /orders, /orders/:id, /console/:coopId/orders. */
export const orderRoutes = [
  <Route key="orders-cart" path="cart" element={<CartPage />} />,
  <Route key="orders-checkout" path="checkout" element={<CheckoutPage />} />,
  <Route key="orders-pay" path="pay/:paymentId" element={<PayPage />} />,
  <Route key="orders-list" path="orders" element={<OrdersPage />} />,
  <Route key="orders-detail" path="orders/:id" element={<OrderDetailPage />} />,
  <Route key="orders-console" path="console/:coopId/orders" element={<ConsoleOrdersPage />} />,
];
