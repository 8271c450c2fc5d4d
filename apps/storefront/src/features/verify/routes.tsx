import { Route } from 'react-router-dom';
import { lazyPage } from '../../app/lazy-page';

const VerifyPage = lazyPage(
  () => import('./VerifyPage'),
  (m) => m.VerifyPage,
  ['verify'],
);

/** Owned by the verify feature: /verify (public; checks a ledger export in the browser, uploads nothing). */
export const verifyRoutes = [<Route key="verify" path="verify" element={<VerifyPage />} />];
