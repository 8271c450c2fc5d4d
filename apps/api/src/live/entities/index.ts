import { ChatMessageRow } from './chat-message.entity';
import { FlashDeal } from './flash-deal.entity';
import { Follow } from './follow.entity';
import { Notification } from './notification.entity';
import { Pin } from './pin.entity';
import { Show } from './show.entity';
import { ShowModeration } from './show-moderation.entity';
import { ShowProduct } from './show-product.entity';
import { ShowSubscription } from './show-subscription.entity';
import { ShowViewer } from './show-viewer.entity';

export {
  ChatMessageRow,
  FlashDeal,
  Follow,
  Notification,
  Pin,
  Show,
  ShowModeration,
  ShowProduct,
  ShowSubscription,
  ShowViewer,
};

/** The live feature's entities, registered in database/entities.ts. */
export const LIVE_ENTITIES = [
  Show,
  ShowProduct,
  Pin,
  FlashDeal,
  ChatMessageRow,
  ShowModeration,
  Follow,
  ShowSubscription,
  Notification,
  ShowViewer,
];
