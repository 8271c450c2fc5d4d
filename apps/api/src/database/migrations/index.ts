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
import { PayoutConfirmation1796654290890 } from './1796654290890-PayoutConfirmation';
import { SearchPinyin1796654859332 } from './1796654859332-SearchPinyin';
import { Reviews1796655673508 } from './1796655673508-Reviews';
import { LedgerHeads1796656114727 } from './1796656114727-LedgerHeads';
import { GroupBuys1796666795805 } from './1796666795805-GroupBuys';
import { ParcelTracking1796670000000 } from './1796670000000-ParcelTracking';
import { Presale1796680000000 } from './1796680000000-Presale';
import { LiveCoupons1796681000000 } from './1796681000000-LiveCoupons';
import { CouponCarrier1796681000001 } from './1796681000001-CouponCarrier';
import { Messages1796682000000 } from './1796682000000-Messages';
import { AfterSales1796682100000 } from './1796682100000-AfterSales';
import { AfterSalesDisputes1796690000000 } from './1796690000000-AfterSalesDisputes';
import { PendingPhotos1796691000000 } from './1796691000000-PendingPhotos';
import { LedgerRefundFee1796692000000 } from './1796692000000-LedgerRefundFee';

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
  PayoutConfirmation1796654290890,
  SearchPinyin1796654859332,
  Reviews1796655673508,
  LedgerHeads1796656114727,
  GroupBuys1796666795805,
  ParcelTracking1796670000000,
  Presale1796680000000,
  LiveCoupons1796681000000,
  CouponCarrier1796681000001,
  Messages1796682000000,
  AfterSales1796682100000,
  AfterSalesDisputes1796690000000,
  PendingPhotos1796691000000,
  LedgerRefundFee1796692000000,
];
