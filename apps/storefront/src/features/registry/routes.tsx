import { Route } from 'react-router-dom';
import { lazyPage } from '../../app/lazy-page';
import './registry.css';

const AccessLogPage = lazyPage(
  () => import('./pages/AccessLogPage'),
  (m) => m.AccessLogPage,
  ['registry'],
);
const HouseholdDetailPage = lazyPage(
  () => import('./pages/HouseholdDetailPage'),
  (m) => m.HouseholdDetailPage,
  ['registry'],
);
const HouseholdNewPage = lazyPage(
  () => import('./pages/HouseholdNewPage'),
  (m) => m.HouseholdNewPage,
  ['registry'],
);
const RegistryImportPage = lazyPage(
  () => import('./pages/RegistryImportPage'),
  (m) => m.RegistryImportPage,
  ['registry'],
);
const RegistrySearchPage = lazyPage(
  () => import('./pages/RegistrySearchPage'),
  (m) => m.RegistrySearchPage,
  ['registry'],
);

/** Owned by the registry feature: /admin/registry, /admin/registry/new, /admin/registry/import, /admin/registry/:id, /admin/access-log. */
export const registryRoutes = [
  <Route key="registry-search" path="admin/registry" element={<RegistrySearchPage />} />,
  <Route key="registry-new" path="admin/registry/new" element={<HouseholdNewPage />} />,
  <Route key="registry-import" path="admin/registry/import" element={<RegistryImportPage />} />,
  <Route key="registry-detail" path="admin/registry/:id" element={<HouseholdDetailPage />} />,
  <Route key="access-log" path="admin/access-log" element={<AccessLogPage />} />,
];
