import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { logisticsProviderName } from '../config/logistics-config';
import { OrdersModule } from '../orders/orders.module';
import { DemoLogisticsProvider } from './demo-logistics.provider';
import { Kuaidi100Provider } from './kuaidi100.provider';
import { LOGISTICS_PROVIDER, type LogisticsProvider } from './logistics-provider';
import { TrackingRepository } from './tracking.repository';
import { TrackingService } from './tracking.service';

/** The carrier the config names (validated at boot: production never gets the demo carrier), or none. */
export function logisticsProviderFor(c: AppConfig): LogisticsProvider | null {
  switch (logisticsProviderName(c)) {
    case 'kuaidi100':
      return new Kuaidi100Provider({
        customer: c.KUAIDI100_CUSTOMER ?? '',
        key: c.KUAIDI100_KEY ?? '',
        endpoint: c.KUAIDI100_ENDPOINT,
      });
    case 'demo':
      return new DemoLogisticsProvider(c.DEMO_PARCEL_STEP_MINUTES);
    default:
      return null;
  }
}

/** Parcel tracking (物流跟踪): its own tables (parcel_events, parcel_trackings), the carrier adapter and the poller. */
@Module({
  imports: [OrdersModule],
  providers: [
    { provide: LOGISTICS_PROVIDER, useFactory: logisticsProviderFor, inject: [APP_CONFIG] },
    TrackingRepository,
    TrackingService,
  ],
  exports: [TrackingService],
})
export class TrackingModule {}
