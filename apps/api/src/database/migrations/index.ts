import type { MigrationInterface } from 'typeorm';
import { Ledger1795384825857 } from './1795384825857-Ledger';
import { Orders1795384072347 } from './1795384072347-Orders';
import { Init1795382902816 } from './1795382902816-Init';
import { CooperativesRegistryCatalog1795383312373 } from './1795383312373-CooperativesRegistryCatalog';
import { PaymentEvents1795384175201 } from './1795384175201-PaymentEvents';
import { LiveShows1795384933650 } from './1795384933650-LiveShows';
import { CatalogListingIndexes1795384956942 } from './1795384956942-CatalogListingIndexes';
import { SettlementRunSkipped1795385241863 } from './1795385241863-SettlementRunSkipped';
import { ShowStreams1795393802664 } from './1795393802664-ShowStreams';

/** Every migration in order; the list is explicit so the bundled API and the tests run exactly these. */
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  Init1795382902816,
  CooperativesRegistryCatalog1795383312373,
  Orders1795384072347,
  PaymentEvents1795384175201,
  Ledger1795384825857,
  LiveShows1795384933650,
  CatalogListingIndexes1795384956942,
  SettlementRunSkipped1795385241863,
  ShowStreams1795393802664,
];
