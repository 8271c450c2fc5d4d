import { Route } from 'react-router-dom';

/** Owned by the catalogue feature: /products, /products/:id, /console/:coopId/products[/:productId]. */
export const catalogRoutes = [<Route key="catalog-placeholder" path="products/*" element={null} />];
