import { Global, Module } from '@nestjs/common';
import { DomainEvents } from './domain-events';
import { SocketServerHost } from './socket-server';

@Global()
@Module({ providers: [DomainEvents, SocketServerHost], exports: [DomainEvents, SocketServerHost] })
export class CommonModule {}
