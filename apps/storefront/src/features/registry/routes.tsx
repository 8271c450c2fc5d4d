import { Route } from 'react-router-dom';

/** Owned by the registry feature: /admin/registry, /admin/registry/:id, /admin/registry/import, /admin/access-log. */
export const registryRoutes = [<Route key="registry-placeholder" path="admin/registry/*" element={null} />];
