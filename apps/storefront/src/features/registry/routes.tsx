import { Route } from 'react-router-dom';
import { AccessLogPage } from './pages/AccessLogPage';
import { HouseholdDetailPage } from './pages/HouseholdDetailPage';
import { HouseholdNewPage } from './pages/HouseholdNewPage';
import { RegistryImportPage } from './pages/RegistryImportPage';
import { RegistrySearchPage } from './pages/RegistrySearchPage';
import './registry.css';

/** Owned by the registry feature: /admin/registry, /admin/registry/new, /admin/registry/import, /admin/registry/:id, /admin/access-log. */
export const registryRoutes = [
  <Route key="registry-search" path="admin/registry" element={<RegistrySearchPage />} />,
  <Route key="registry-new" path="admin/registry/new" element={<HouseholdNewPage />} />,
  <Route key="registry-import" path="admin/registry/import" element={<RegistryImportPage />} />,
  <Route key="registry-detail" path="admin/registry/:id" element={<HouseholdDetailPage />} />,
  <Route key="access-log" path="admin/access-log" element={<AccessLogPage />} />,
];
