import { PresaleOrder } from './presale-order.entity';
import { PresalePromise } from './presale-promise.entity';
import { Presale } from './presale.entity';

export { Presale, PresaleOrder, PresalePromise };

/** The pre-sale feature's entities, registered in database/entities.ts. */
export const PRESALE_ENTITIES = [Presale, PresalePromise, PresaleOrder];
