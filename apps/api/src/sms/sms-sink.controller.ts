import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/access.decorators';
import { LogSinkSmsProvider, SinkMessage } from './log-sink-sms.provider';
import { SMS_PROVIDER, SmsProvider } from './sms-provider';
import { SmsErrorCode, SmsException } from './sms.exception';

/**
 * The SMS stand-in's inbox, for a demo or a browser test outside production: platform admins only (never a
 * cooperative's staff), and 404 whenever a real provider sends (always in production).
 */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/sms-sink')
export class SmsSinkController {
  constructor(@Inject(SMS_PROVIDER) private readonly provider: SmsProvider) {}

  @Roles('platform_admin')
  @Get()
  list(@Query('to') to?: string): { items: SinkMessage[] } {
    if (!(this.provider instanceof LogSinkSmsProvider)) {
      throw new SmsException(SmsErrorCode.SMS_SINK_OFF, 'messages are sent by a real SMS provider');
    }
    return { items: this.provider.list(typeof to === 'string' && to ? to : undefined).slice(0, 100) };
  }
}
