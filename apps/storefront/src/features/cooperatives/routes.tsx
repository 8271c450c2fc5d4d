import { Route } from 'react-router-dom';

/** Owned by the cooperatives feature: /cooperatives, /cooperatives/:id, /apply, /console/:coopId/{profile,staff,members}, /admin/applications. */
export const cooperativeRoutes = [<Route key="coop-placeholder" path="cooperatives/*" element={null} />];
