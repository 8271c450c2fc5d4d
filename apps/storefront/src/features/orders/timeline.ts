import type { OrderEventDto } from '@xiangbo/contracts';

export type EventKind =
  | 'placed'
  | 'paid'
  | 'latePaid'
  | 'shipped'
  | 'delivered'
  | 'completed'
  | 'autoCompleted'
  | 'cancelled'
  | 'expired'
  | 'refunded'
  | 'refundRequested'
  | 'refundDeclined'
  | 'partialRefund'
  | 'autoRefund'
  | 'dispute'
  | 'updated';

export interface DescribedEvent {
  kind: EventKind;
  /** Extra words worth showing: carrier + tracking number, the refund reason or amount. */
  detail: string | null;
}

const after = (note: string, prefix: string) => note.slice(prefix.length).trim() || null;

/**
 * What an order event means to a person. Transitions are named by their target status; events that keep the
 * status (refund requested/declined, partial refund, dispute) are told apart by the server's note.
 */
export function describeEvent(
  e: Pick<OrderEventDto, 'fromStatus' | 'toStatus' | 'actorKind' | 'note'>,
): DescribedEvent {
  const note = e.note ?? '';
  if (e.fromStatus === null) return { kind: 'placed', detail: null };
  if (e.fromStatus === e.toStatus) {
    if (note.startsWith('refund requested:'))
      return { kind: 'refundRequested', detail: after(note, 'refund requested:') };
    if (note.startsWith('refund declined:')) return { kind: 'refundDeclined', detail: after(note, 'refund declined:') };
    if (note.startsWith('refunded ')) return { kind: 'partialRefund', detail: after(note, 'refunded ') };
    if (note.startsWith('late payment')) return { kind: 'autoRefund', detail: null };
    if (note.startsWith('dispute')) return { kind: 'dispute', detail: null };
    return { kind: 'updated', detail: note || null };
  }
  switch (e.toStatus) {
    case 'pending_payment':
      return { kind: 'placed', detail: null };
    case 'paid':
      return { kind: e.fromStatus === 'cancelled' ? 'latePaid' : 'paid', detail: null };
    case 'shipped':
      return { kind: 'shipped', detail: note || null };
    case 'delivered':
      return { kind: 'delivered', detail: null };
    case 'completed':
      return { kind: e.actorKind === 'system' ? 'autoCompleted' : 'completed', detail: null };
    case 'cancelled':
      return { kind: e.actorKind === 'system' ? 'expired' : 'cancelled', detail: null };
    case 'refunded':
      return { kind: 'refunded', detail: null };
    default:
      return { kind: 'updated', detail: note || null };
  }
}
