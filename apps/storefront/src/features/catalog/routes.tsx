import { Route } from 'react-router-dom';
import { lazyPage } from '../../app/lazy-page';

const ConsoleLotsPage = lazyPage(
  () => import('./ConsoleLotsPage'),
  (m) => m.ConsoleLotsPage,
);
const ConsoleProductEditPage = lazyPage(
  () => import('./ConsoleProductEditPage'),
  (m) => m.ConsoleProductEditPage,
);
const ConsoleProductsPage = lazyPage(
  () => import('./ConsoleProductsPage'),
  (m) => m.ConsoleProductsPage,
);
const ProductListPage = lazyPage(
  () => import('./ProductListPage'),
  (m) => m.ProductListPage,
);
const ProductPage = lazyPage(
  () => import('./ProductPage'),
  (m) => m.ProductPage,
  ['orders'],
);

/** Owned by the catalogue feature: /products, /products/:id, /console/:coopId/products[/new|/:productId[/lots]]. */
export const catalogRoutes = [
  <Route key="catalog-list" path="products" element={<ProductListPage />} />,
  <Route key="catalog-product" path="products/:id" element={<ProductPage />} />,
  <Route key="catalog-console" path="console/:coopId/products" element={<ConsoleProductsPage />} />,
  <Route key="catalog-console-edit" path="console/:coopId/products/:productId" element={<ConsoleProductEditPage />} />,
  <Route key="catalog-console-lots" path="console/:coopId/products/:productId/lots" element={<ConsoleLotsPage />} />,
];
