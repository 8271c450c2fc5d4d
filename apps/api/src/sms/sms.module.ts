import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { AliyunSmsProvider } from './aliyun-sms.provider';
import { LogSinkSmsProvider } from './log-sink-sms.provider';
import { SmsOutboxService } from './sms-outbox.service';
import { SMS_PROVIDER, SmsProvider } from './sms-provider';
import { SmsSinkController } from './sms-sink.controller';
import { TencentSmsProvider } from './tencent-sms.provider';

/** The provider the config names (validated at boot: production never gets the log stand-in). */
export function smsProviderFor(c: AppConfig): SmsProvider {
  switch (c.SMS_PROVIDER) {
    case 'aliyun':
      return new AliyunSmsProvider({
        accessKeyId: c.ALIYUN_SMS_ACCESS_KEY_ID ?? '',
        accessKeySecret: c.ALIYUN_SMS_ACCESS_KEY_SECRET ?? '',
        signName: c.ALIYUN_SMS_SIGN_NAME ?? '',
        templateCode: c.ALIYUN_SMS_TEMPLATE_CODE ?? '',
        endpoint: c.ALIYUN_SMS_ENDPOINT,
      });
    case 'tencent':
      return new TencentSmsProvider({
        secretId: c.TENCENT_SMS_SECRET_ID ?? '',
        secretKey: c.TENCENT_SMS_SECRET_KEY ?? '',
        sdkAppId: c.TENCENT_SMS_SDK_APP_ID ?? '',
        signName: c.TENCENT_SMS_SIGN_NAME ?? '',
        templateId: c.TENCENT_SMS_TEMPLATE_ID ?? '',
        region: c.TENCENT_SMS_REGION,
        endpoint: c.TENCENT_SMS_ENDPOINT,
      });
    default:
      return new LogSinkSmsProvider();
  }
}

/** SMS: the provider (Aliyun, Tencent Cloud or the log stand-in) and the outbox that sends after commit. */
@Global()
@Module({
  controllers: [SmsSinkController],
  providers: [{ provide: SMS_PROVIDER, useFactory: smsProviderFor, inject: [APP_CONFIG] }, SmsOutboxService],
  exports: [SMS_PROVIDER, SmsOutboxService],
})
export class SmsModule {}
