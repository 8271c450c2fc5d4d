import { Route } from 'react-router-dom';
import { ConsoleLotsPage } from './ConsoleLotsPage';
import { ConsoleProductEditPage } from './ConsoleProductEditPage';
import { ConsoleProductsPage } from './ConsoleProductsPage';
import { ProductListPage } from './ProductListPage';
import { ProductPage } from './ProductPage';

/** Owned by the catalogue feature: /products, /products/:id, /console/:coopId/products[/new|/:productId[/lots]]. */
export const catalogRoutes = [
  <Route key="catalog-list" path="products" element={<ProductListPage />} />,
  <Route key="catalog-product" path="products/:id" element={<ProductPage />} />,
  <Route key="catalog-console" path="console/:coopId/products" element={<ConsoleProductsPage />} />,
  <Route key="catalog-console-edit" path="console/:coopId/products/:productId" element={<ConsoleProductEditPage />} />,
  <Route key="catalog-console-lots" path="console/:coopId/products/:productId/lots" element={<ConsoleLotsPage />} />,
];
