import { Route } from 'react-router-dom';
import { lazyPage } from '../../app/lazy-page';

const GroupPage = lazyPage(
  () => import('./GroupPage'),
  (m) => m.GroupPage,
  ['groupBuys', 'orders'],
);

/** Owned by the group-buy feature: /groups/:groupId (the link members share). */
export const groupBuyRoutes = [<Route key="group-buys-group" path="groups/:groupId" element={<GroupPage />} />];
