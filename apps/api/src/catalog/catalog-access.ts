import type { Principal } from '../auth/principal';
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
  if (p.hasFor(cooperativeId, 'coop_admin')) return;
  if (p.hasFor(cooperativeId, 'host')) {
    if (mode === 'read') return;
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: string): boolean => UUID.test(v);
