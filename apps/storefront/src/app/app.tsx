import { Route, Routes } from 'react-router-dom';
import { catalogRoutes } from '../features/catalog/routes';
import { moneyRoutes } from '../features/money/routes';
import { orderRoutes } from '../features/orders/routes';
import { liveRoutes } from '../features/live/routes';
import { cooperativeRoutes } from '../features/cooperatives/routes';
import { registryRoutes } from '../features/registry/routes';
import { reviewRoutes } from '../features/reviews/routes';
import { verifyRoutes } from '../features/verify/routes';
import { groupBuyRoutes } from '../features/group-buys/routes';
import { presaleRoutes } from '../features/presale/routes';
import { couponRoutes } from '../features/coupons/routes';
import { messageRoutes } from '../features/messages/routes';
import { afterSalesRoutes } from '../features/after-sales/routes';
import { AppLayout } from '../layout/AppLayout';
import { HomePage } from '../pages/HomePage';
import { lazyPage } from './lazy-page';

// Home is in the first bundle (most visits start there); every other page is its own chunk, loaded when shown.
const AdminIndexRedirect = lazyPage(
  () => import('../features/console/ConsoleShell'),
  (m) => m.AdminIndexRedirect,
);
const ConsoleIndexRedirect = lazyPage(
  () => import('../features/console/ConsoleShell'),
  (m) => m.ConsoleIndexRedirect,
);
const AccountPage = lazyPage(
  () => import('../pages/AccountPage'),
  (m) => m.AccountPage,
);
const LivePage = lazyPage(
  () => import('../pages/LivePage'),
  (m) => m.LivePage,
  ['live'],
);
const NotFoundPage = lazyPage(
  () => import('../pages/NotFoundPage'),
  (m) => m.NotFoundPage,
);
const SignInPage = lazyPage(
  () => import('../pages/SignInPage'),
  (m) => m.SignInPage,
);
const SignUpPage = lazyPage(
  () => import('../pages/SignUpPage'),
  (m) => m.SignUpPage,
);

export function App() {
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route index element={<HomePage />} />
        <Route path="live" element={<LivePage />} />
        <Route path="me" element={<AccountPage />} />
        <Route path="sign-in" element={<SignInPage />} />
        <Route path="sign-up" element={<SignUpPage />} />
        {cooperativeRoutes}
        {registryRoutes}
        {catalogRoutes}
        {orderRoutes}
        {liveRoutes}
        {moneyRoutes}
        {reviewRoutes}
        {verifyRoutes}
        {groupBuyRoutes}
        {presaleRoutes}
        {couponRoutes}
        {messageRoutes}
        {afterSalesRoutes}
        <Route path="console" element={<ConsoleIndexRedirect />} />
        <Route path="admin" element={<AdminIndexRedirect />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export default App;
