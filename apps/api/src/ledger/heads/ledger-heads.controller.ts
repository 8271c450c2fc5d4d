import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { LedgerHeadDto, LedgerHeadHistoryDto, LedgerPublicKeyDto } from '@xiangbo/contracts';
import { Public } from '../../common/access.decorators';
import { LedgerHeadsService } from './ledger-heads.service';

/** Published, signed chain heads and the platform's public key: public, so anyone can keep a copy. */
@ApiTags('ledger')
@Controller()
export class LedgerHeadsController {
  constructor(private readonly heads: LedgerHeadsService) {}

  /** `{ seq, hash, at, keyId, signature, cooperativeId }`: compare an export with `verify-ledger FILE --head SEQ:HASH`. */
  @Public()
  @Get('cooperatives/:id/ledger/head')
  head(@Param('id') id: string): Promise<LedgerHeadDto> {
    return this.heads.current(id);
  }

  @Public()
  @Get('cooperatives/:id/ledger/heads')
  history(@Param('id') id: string): Promise<LedgerHeadHistoryDto> {
    return this.heads.history(id);
  }

  @Public()
  @Get('ledger/public-key')
  publicKey(): LedgerPublicKeyDto {
    return this.heads.publicKey();
  }
}
