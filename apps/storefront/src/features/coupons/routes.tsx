import { Route } from 'react-router-dom';
import { lazyPage } from '../../app/lazy-page';

const MyCouponsPage = lazyPage(
  () => import('./MyCouponsPage'),
  (m) => m.MyCouponsPage,
  ['coupons', 'orders'],
);

/** Owned by the live-coupon feature: /me/coupons (我的优惠券). */
export const couponRoutes = [<Route key="coupons-mine" path="me/coupons" element={<MyCouponsPage />} />];
