import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { ZodValidationPipe } from 'nestjs-zod';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, type LevelWithSilent } from 'pino';
import { AuthModule } from './auth/auth.module';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source-options';
import { HealthModule } from './health/health.module';
import { UsersModule } from './users/users.module';
import { HouseholdsModule } from './households/households.module';
import { StorageModule } from './storage/storage.module';
import { CatalogModule } from './catalog/catalog.module';
import { CooperativesModule } from './cooperatives/cooperatives.module';
import { CommonModule } from './common/common.module';
import { JobsModule } from './jobs/jobs.module';
import { OrdersModule } from './orders/orders.module';
import { PaymentsModule } from './payments/payments.module';
import { LiveModule } from './live/live.module';
import { MediaModule } from './media/media.module';
import { PayoutsModule } from './payouts/payouts.module';
import { AuditModule } from './audit/audit.module';
import { LedgerModule } from './ledger/ledger.module';
import { SmsModule } from './sms/sms.module';
import { ReviewsModule } from './reviews/reviews.module';
import { GroupBuysModule } from './group-buys/group-buys.module';
import { PresaleModule } from './presale/presale.module';
import { TrackingModule } from './tracking/tracking.module';
import { CouponsModule } from './coupons/coupons.module';
import { MessagesModule } from './messages/messages.module';
import { AfterSalesModule } from './after-sales/after-sales.module';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The level of a request's completion line: debug for a successful read, error for a failure, info otherwise. */
export function requestLogLevel(req: IncomingMessage, res: ServerResponse, err?: Error): LevelWithSilent {
  if (err || res.statusCode >= 500) return 'error';
  if (res.statusCode < 400 && READS.has(req.method ?? '')) return 'debug';
  return 'info';
}

@Module({})
export class AppModule {
  static register(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.LOG_LEVEL,
            genReqId: (req, res) => {
              const incoming = req.headers['x-request-id'];
              const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
              res.setHeader('X-Request-Id', id);
              return id;
            },
            // Successful reads are the bulk of the traffic (the catalogue) and are logged at debug: LOG_LEVEL=debug
            // brings them back. Writes, client errors (info) and failures (error) are logged at the default level,
            // and every log line written during a request still carries its id (req.log, X-Request-Id).
            customLogLevel: requestLogLevel,
            autoLogging: { ignore: (req) => req.url === '/api/health' },
            redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
            // The serializers see the raw objects (no intermediate copy of every header for each request): a
            // request is its id, method and path, a response its status and length. The query string may hold
            // personal data (a searched ID number, a household link token): log the path only.
            wrapSerializers: false,
            serializers: {
              req: (r: IncomingMessage & { id: string; originalUrl?: string }) => ({
                id: r.id,
                method: r.method,
                url: (r.originalUrl ?? r.url ?? '').split('?')[0].replace(/(\/household-links\/)[^/]+/, '$1***'),
              }),
              res: (r: ServerResponse) => ({
                statusCode: r.statusCode,
                length: r.getHeader?.('content-length'),
              }),
              err: pino.stdSerializers.err,
            },
          },
        }),
        TypeOrmModule.forRoot({ ...dataSourceOptions(databaseUrl), migrationsRun: false }),
        HealthModule,
        UsersModule,
        AuthModule,
        HouseholdsModule,
        StorageModule,
        CatalogModule,
        ReviewsModule,
        CooperativesModule,
        CommonModule,
        JobsModule,
        OrdersModule,
        PaymentsModule,
        LiveModule,
        MediaModule,
        SmsModule,
        PayoutsModule,
        AuditModule,
        LedgerModule,
        GroupBuysModule,
        PresaleModule,
        TrackingModule,
        CouponsModule,
        MessagesModule,
        AfterSalesModule,
      ],
      providers: [
        { provide: APP_PIPE, useClass: ZodValidationPipe },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
      ],
    };
  }
}
