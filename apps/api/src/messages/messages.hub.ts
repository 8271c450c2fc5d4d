import { Injectable } from '@nestjs/common';
import type { Namespace } from 'socket.io';
import type { MessagesClientEvents, MessagesServerEvents } from '@xiangbo/contracts';

export type MessagesNamespace = Namespace<MessagesClientEvents, MessagesServerEvents>;

/** Rooms of the /messages namespace: a buyer's sockets, and the sockets of a cooperative's staff. */
export const messageRooms = {
  buyer: (userId: string) => `buyer:${userId}`,
  cooperative: (cooperativeId: string) => `coop:${cooperativeId}`,
};

/**
 * Where committed messages go out: the namespace's rooms, across processes through the server's Redis adapter.
 * Before the socket server exists (tests without HTTP, a worker) nothing is sent; the history is in PostgreSQL.
 */
@Injectable()
export class MessagesHub {
  private nsp: MessagesNamespace | null = null;

  attach(nsp: MessagesNamespace | null): void {
    this.nsp = nsp;
  }

  toBuyer<E extends keyof MessagesServerEvents>(
    userId: string,
    event: E,
    ...payload: Parameters<MessagesServerEvents[E]>
  ): void {
    this.nsp?.to(messageRooms.buyer(userId)).emit(event, ...payload);
  }

  toCooperative<E extends keyof MessagesServerEvents>(
    cooperativeId: string,
    event: E,
    ...payload: Parameters<MessagesServerEvents[E]>
  ): void {
    this.nsp?.to(messageRooms.cooperative(cooperativeId)).emit(event, ...payload);
  }
}
