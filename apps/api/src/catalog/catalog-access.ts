import type { Principal } from '../auth/principal';
import { cooperativeScope, isUuid } from '../common/cooperative-scope';
import { CatalogErrorCode, CatalogException } from './catalog.exception';

export type AccessMode = 'read' | 'write';

/**
 * Cooperative scoping of the console: the coop_admin reads and writes, a host of the cooperative reads
 * (403 on a write), anyone else is told the thing does not exist (404), so ids of other cooperatives leak nothing.
 */
export function assertCatalogAccess(
  p: Principal,
  cooperativeId: string,
  mode: AccessMode,
  notFound: CatalogErrorCode.PRODUCT_NOT_FOUND | CatalogErrorCode.COOPERATIVE_NOT_FOUND,
): void {
  const scope = cooperativeScope(p, cooperativeId, mode === 'read' ? 'read' : 'manage');
  if (scope === 'ok') return;
  if (scope === 'forbidden') {
    throw new CatalogException(
      CatalogErrorCode.CATALOG_READ_ONLY,
      'only the cooperative admin can change the catalogue',
    );
  }
  throw new CatalogException(
    notFound,
    notFound === CatalogErrorCode.PRODUCT_NOT_FOUND ? 'product not found' : 'cooperative not found',
  );
}

export { isUuid };
