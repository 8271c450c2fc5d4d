import { Route, Routes } from 'react-router-dom';
import { AppLayout } from '../layout/AppLayout';
import { AccountPage } from '../pages/AccountPage';
import { CartPage } from '../pages/CartPage';
import { ConsolePlaceholderPage } from '../pages/ConsolePlaceholderPage';
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
        <Route path="cart" element={<CartPage />} />
        <Route path="me" element={<AccountPage />} />
        <Route path="sign-in" element={<SignInPage />} />
        <Route path="sign-up" element={<SignUpPage />} />
        <Route path="console/*" element={<ConsolePlaceholderPage areaId="console" />} />
        <Route path="audit/*" element={<ConsolePlaceholderPage areaId="audit" />} />
        <Route path="admin/*" element={<ConsolePlaceholderPage areaId="admin" />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export default App;
