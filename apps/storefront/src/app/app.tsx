import { Route, Routes } from 'react-router-dom';
import { catalogRoutes } from '../features/catalog/routes';
import { AdminIndexRedirect, ConsoleIndexRedirect } from '../features/console/ConsoleShell';
import { moneyRoutes } from '../features/money/routes';
import { orderRoutes } from '../features/orders/routes';
import { liveRoutes } from '../features/live/routes';
import { cooperativeRoutes } from '../features/cooperatives/routes';
import { registryRoutes } from '../features/registry/routes';
import { AppLayout } from '../layout/AppLayout';
import { AccountPage } from '../pages/AccountPage';
import { HomePage } from '../pages/HomePage';
import { LivePage } from '../pages/LivePage';
import { NotFoundPage } from '../pages/NotFoundPage';
import { SignInPage } from '../pages/SignInPage';
import { SignUpPage } from '../pages/SignUpPage';

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
        <Route path="console" element={<ConsoleIndexRedirect />} />
        <Route path="admin" element={<AdminIndexRedirect />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export default App;
