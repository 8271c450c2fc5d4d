import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/config';

/** One shared Redis connection when REDIS_URL is set (health now; socket.io adapter and caches later). */
@Injectable()
export class RedisService implements OnModuleDestroy {
  readonly client: Redis | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.client = config.REDIS_URL
      ? new Redis(config.REDIS_URL, {
          lazyConnect: true,
          maxRetriesPerRequest: 1,
          connectTimeout: 2000,
          enableOfflineQueue: true,
        })
      : null;
    this.client?.on('error', () => undefined); // reported through health, not as unhandled errors
  }

  async ping(): Promise<'up' | 'down' | 'not configured'> {
    if (!this.client) return 'not configured';
    try {
      if (this.client.status === 'wait') await this.client.connect();
      return (await this.client.ping()) === 'PONG' ? 'up' : 'down';
    } catch {
      return 'down';
    }
  }

  async onModuleDestroy() {
    if (this.client && this.client.status !== 'end') this.client.disconnect();
  }
}
