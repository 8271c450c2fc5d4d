import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PgBoss } from 'pg-boss';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';

type Handler = (data: Record<string, unknown>) => Promise<void>;

interface Registration {
  name: string;
  handler: Handler;
  /** cron (UTC) for recurring sweeps; pg-boss runs each tick once across all API processes. */
  cron?: string;
}

/**
 * PostgreSQL-backed jobs (pg-boss, in its own `pgboss` schema): they survive restarts and each job runs once
 * across several API processes. Features register handlers in their constructors or onModuleInit; the queue
 * starts after every module is ready. With JOBS_ENABLED=false nothing is started (tests call handlers directly).
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly registrations: Registration[] = [];
  private boss: PgBoss | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  register(name: string, handler: Handler, cron?: string): void {
    this.registrations.push({ name, handler, cron });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.JOBS_ENABLED) return;
    const url = (this.db.options as { url?: string }).url;
    const boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 4, application_name: 'xiangbo-jobs' });
    boss.on('error', (e) => this.logger.error({ err: e }, 'job queue error'));
    await boss.start();
    for (const r of this.registrations) {
      await boss.createQueue(r.name);
      await boss.work<Record<string, unknown>>(r.name, { pollingIntervalSeconds: 1, batchSize: 1 }, async ([job]) => {
        await r.handler(job.data ?? {});
      });
      if (r.cron) await boss.schedule(r.name, r.cron, {}, { tz: 'UTC' });
    }
    this.boss = boss;
  }

  /** Enqueues a job to run at `at` (once per singletonKey while one is pending). No-op when jobs are disabled. */
  async sendAt(name: string, data: Record<string, unknown>, at: Date, singletonKey?: string): Promise<void> {
    if (!this.boss) return;
    await this.boss.sendAfter(name, data, { singletonKey, retryLimit: 5, retryBackoff: true }, at);
  }

  /** Enqueues many jobs to run at `at` in one statement (e.g. the expiry of a batch's orders). No-op when disabled. */
  async sendManyAt(
    name: string,
    jobs: { data: Record<string, unknown>; singletonKey?: string }[],
    at: Date,
  ): Promise<void> {
    if (!this.boss || !jobs.length) return;
    await this.boss.insert(
      name,
      jobs.map((j) => ({
        data: j.data,
        singletonKey: j.singletonKey,
        startAfter: at,
        retryLimit: 5,
        retryBackoff: true,
      })),
    );
  }

  async send(name: string, data: Record<string, unknown>, singletonKey?: string): Promise<void> {
    if (!this.boss) return;
    await this.boss.send(name, data, { singletonKey, retryLimit: 5, retryBackoff: true });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.boss?.stop({ graceful: true, timeout: 5000 }).catch(() => undefined);
    this.boss = null;
  }
}
