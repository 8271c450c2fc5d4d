import { ShowStream } from '../media/show-stream.entity';
import { RateLimitBucket } from '../auth/entities/rate-limit-bucket.entity';
import { RefreshToken } from '../auth/entities/refresh-token.entity';
import { Lot } from '../catalog/entities/lot.entity';
import { LotSupply } from '../catalog/entities/lot-supply.entity';
import { Product } from '../catalog/entities/product.entity';
import { PendingPhoto } from '../catalog/entities/pending-photo.entity';
import { ProductPhoto } from '../catalog/entities/product-photo.entity';
import { Cooperative } from '../cooperatives/entities/cooperative.entity';
import { Membership } from '../cooperatives/entities/membership.entity';
import { StaffInvitation } from '../cooperatives/entities/staff-invitation.entity';
import { Household } from '../households/entities/household.entity';
import { HouseholdStatusEvent } from '../households/entities/household-status-event.entity';
import { PersonalDataAccess } from '../households/entities/personal-data-access.entity';
import { PaymentEvent } from '../payments/entities/payment-event.entity';
import { Finding } from '../ledger/entities/finding.entity';
import { LedgerHead } from '../ledger/entities/ledger-head.entity';
import { LedgerPosting } from '../ledger/entities/ledger-posting.entity';
import { LedgerTransactionRow } from '../ledger/entities/ledger-transaction.entity';
import { Payout, PayoutBatch } from '../ledger/entities/payout.entity';
import { SettlementRun } from '../ledger/entities/settlement-run.entity';
import { SharingPolicyVersion } from '../ledger/entities/sharing-policy.entity';
import { COUPON_ENTITIES } from '../coupons/entities';
import { GROUP_BUY_ENTITIES } from '../group-buys/entities';
import { PRESALE_ENTITIES } from '../presale/entities';
import { LIVE_ENTITIES } from '../live/entities';
import { MESSAGE_ENTITIES } from '../messages/entities/conversation.entity';
import { AFTER_SALES_ENTITIES } from '../after-sales/entities/after-sales.entity';
import { Address } from '../orders/entities/address.entity';
import { CartItem } from '../orders/entities/cart-item.entity';
import { Order } from '../orders/entities/order.entity';
import { OrderEvent } from '../orders/entities/order-event.entity';
import { OrderLine } from '../orders/entities/order-line.entity';
import { Payment } from '../orders/entities/payment.entity';
import { Refund } from '../orders/entities/refund.entity';
import { Reservation } from '../orders/entities/reservation.entity';
import { SmsOutbox } from '../sms/sms-outbox.entity';
import { CallbackCheck, CallbackSample } from '../audit/entities/callback-check.entity';
import { Review, ReviewReport } from '../reviews/entities/review.entity';
import { RoleAssignment } from '../users/role-assignment.entity';
import { User } from '../users/user.entity';

/** Every entity, for the Nest connection, the migration generator and the pending-migration check. */
export const ENTITIES = [
  User,
  RoleAssignment,
  RefreshToken,
  RateLimitBucket,
  Cooperative,
  StaffInvitation,
  Membership,
  Household,
  HouseholdStatusEvent,
  PersonalDataAccess,
  Product,
  ProductPhoto,
  PendingPhoto,
  Lot,
  LotSupply,
  Payment,
  Order,
  OrderLine,
  Reservation,
  OrderEvent,
  Refund,
  CartItem,
  Address,
  SharingPolicyVersion,
  LedgerTransactionRow,
  LedgerPosting,
  LedgerHead,
  SettlementRun,
  PayoutBatch,
  Payout,
  Finding,
  PaymentEvent,
  ...LIVE_ENTITIES,
  ShowStream,
  SmsOutbox,
  CallbackSample,
  CallbackCheck,
  Review,
  ReviewReport,
  ...GROUP_BUY_ENTITIES,
  ...PRESALE_ENTITIES,
  ...COUPON_ENTITIES,
  ...MESSAGE_ENTITIES,
  ...AFTER_SALES_ENTITIES,
];
