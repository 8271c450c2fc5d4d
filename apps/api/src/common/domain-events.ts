import { EventEmitter } from 'node:events';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';

/** Facts other features react to (live rooms broadcast them). Payloads carry ids and figures, never personal data. */
export interface DomainEventMap {
  /** A product's available stock changed (reservation taken or returned). */
  'stock.changed': { productId: string };
  /** Orders of a checkout were paid. */
  'order.paid': {
    orderId: string;
    cooperativeId: string;
    showId: string | null;
    totalFen: number;
    buyerProvince: string;
  };
  /** A flash deal's remaining quantity changed. */
  'deal.changed': { dealId: string };
  /** The cooperative answered a buyer in 客服 (the buyer is told in the notification centre). */
  'conversation.answered': { conversationId: string };
  /** A side of a 客服 conversation read it (the buyer's message notification is then read too). */
  'conversation.read': { conversationId: string; side: 'buyer' | 'staff' };
  /** A parcel reached a step its buyer is told about (派送中, 签收, a problem, sent back). */
  'parcel.moved': { orderId: string; status: 'delivering' | 'delivered' | 'problem' | 'returned' };
  /** A group (拼团) was decided: formed (its orders ship) or failed (its paid seats are refunded). */
  'group.decided': { groupId: string; status: 'formed' | 'failed' };
  /** A pre-sale's harvest is in: the balance of every paid deposit is due. */
  'presale.harvested': { presaleId: string };
}
export type DomainEventName = keyof DomainEventMap;

const PENDING = 'xbDomainEvents';

/**
 * In-process domain events that are emitted only AFTER the transaction that caused them commits ("durable
 * before broadcast"): published inside a transaction they wait on the query runner and are dropped on rollback.
 * Cross-process fan-out is the listener's job (the live gateway broadcasts through the socket.io Redis adapter).
 */
@Injectable()
export class DomainEvents implements OnModuleInit, EntitySubscriberInterface {
  private readonly bus = new EventEmitter().setMaxListeners(50);

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  onModuleInit() {
    this.db.subscribers.push(this);
  }

  publish<K extends DomainEventName>(m: EntityManager | null, name: K, payload: DomainEventMap[K]): void {
    const qr = m?.queryRunner;
    if (qr?.isTransactionActive) {
      const list = ((qr.data as Record<string, unknown>)[PENDING] ??= []) as [DomainEventName, unknown][];
      list.push([name, payload]);
      return;
    }
    this.bus.emit(name, payload);
  }

  on<K extends DomainEventName>(name: K, listener: (payload: DomainEventMap[K]) => void): () => void {
    this.bus.on(name, listener);
    return () => this.bus.off(name, listener);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (event.queryRunner.isTransactionActive) return; // a savepoint was released; the outer transaction is still open
    const data = event.queryRunner.data as Record<string, unknown>;
    const list = data[PENDING] as [DomainEventName, unknown][] | undefined;
    delete data[PENDING];
    for (const [name, payload] of list ?? []) this.bus.emit(name, payload);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (event.queryRunner.isTransactionActive) return; // rolled back to a savepoint only
    delete (event.queryRunner.data as Record<string, unknown>)[PENDING];
  }
}
