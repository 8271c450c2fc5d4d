import { Route } from 'react-router-dom';
import { CartPage } from './CartPage';
import { CheckoutPage } from './CheckoutPage';
import { ConsoleOrdersPage } from './ConsoleOrdersPage';
import { OrderDetailPage } from './OrderDetailPage';
import { OrdersPage } from './OrdersPage';
import { PayPage } from './PayPage';

/** Owned by the orders feature: /cart, /checkout, /pay/:paymentId, /orders, /orders/:id, /console/:coopId/orders. */
export const orderRoutes = [
  <Route key="orders-cart" path="cart" element={<CartPage />} />,
  <Route key="orders-checkout" path="checkout" element={<CheckoutPage />} />,
  <Route key="orders-pay" path="pay/:paymentId" element={<PayPage />} />,
  <Route key="orders-list" path="orders" element={<OrdersPage />} />,
  <Route key="orders-detail" path="orders/:id" element={<OrderDetailPage />} />,
  <Route key="orders-console" path="console/:coopId/orders" element={<ConsoleOrdersPage />} />,
];
