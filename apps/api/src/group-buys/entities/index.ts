import { GroupBuyMember } from './group-buy-member.entity';
import { GroupBuyOffer } from './group-buy-offer.entity';
import { GroupBuy } from './group-buy.entity';

export { GroupBuy, GroupBuyMember, GroupBuyOffer };

/** The group-buy feature's entities, registered in database/entities.ts. */
export const GROUP_BUY_ENTITIES = [GroupBuyOffer, GroupBuy, GroupBuyMember];
