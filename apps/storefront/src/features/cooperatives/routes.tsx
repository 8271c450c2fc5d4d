import { Route } from 'react-router-dom';
import './cooperatives.css';
import { AdminApplicationsPage } from './AdminApplicationsPage';
import { ApplyPage } from './ApplyPage';
import { ConsoleMembersPage } from './ConsoleMembersPage';
import { ConsoleProfilePage } from './ConsoleProfilePage';
import { ConsoleStaffPage } from './ConsoleStaffPage';
import { CooperativePage, CooperativesListPage } from './CooperativesPages';

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
