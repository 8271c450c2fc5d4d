import { Route } from 'react-router-dom';
import { lazyPage } from '../../app/lazy-page';
import './cooperatives.css';

const AdminApplicationsPage = lazyPage(
  () => import('./AdminApplicationsPage'),
  (m) => m.AdminApplicationsPage,
  ['coop'],
);
const ApplyPage = lazyPage(
  () => import('./ApplyPage'),
  (m) => m.ApplyPage,
  ['coop'],
);
const ConsoleMembersPage = lazyPage(
  () => import('./ConsoleMembersPage'),
  (m) => m.ConsoleMembersPage,
  ['coop'],
);
const ConsoleProfilePage = lazyPage(
  () => import('./ConsoleProfilePage'),
  (m) => m.ConsoleProfilePage,
  ['coop'],
);
const ConsoleStaffPage = lazyPage(
  () => import('./ConsoleStaffPage'),
  (m) => m.ConsoleStaffPage,
  ['coop'],
);
const CooperativePage = lazyPage(
  () => import('./CooperativesPages'),
  (m) => m.CooperativePage,
  ['coop'],
);
const CooperativesListPage = lazyPage(
  () => import('./CooperativesPages'),
  (m) => m.CooperativesListPage,
  ['coop'],
);

/** Owned by the cooperatives feature: /cooperatives, /cooperatives/:id, /apply, /console/:coopId/{profile,staff,members}, /admin/applications. */
export const cooperativeRoutes = [
  <Route key="coop-list" path="cooperatives" element={<CooperativesListPage />} />,
  <Route key="coop-page" path="cooperatives/:id" element={<CooperativePage />} />,
  <Route key="coop-apply" path="apply" element={<ApplyPage />} />,
  <Route key="coop-admin-applications" path="admin/applications" element={<AdminApplicationsPage />} />,
  <Route key="coop-console-profile" path="console/:coopId/profile" element={<ConsoleProfilePage />} />,
  <Route key="coop-console-staff" path="console/:coopId/staff" element={<ConsoleStaffPage />} />,
  <Route key="coop-console-members" path="console/:coopId/members" element={<ConsoleMembersPage />} />,
];
