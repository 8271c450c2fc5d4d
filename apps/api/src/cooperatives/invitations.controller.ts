import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { MyInvitation, StaffRole } from '@xiangbo/contracts';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { SignedIn } from '../common/access.decorators';
import { StaffService } from './staff.service';

/** Staff invitations addressed to the signed-in user's e-mail or mobile number. */
@ApiTags('invitations')
@ApiBearerAuth()
@Controller('invitations')
export class InvitationsController {
  constructor(private readonly staff: StaffService) {}

  @SignedIn()
  @Get()
  mine(@CurrentPrincipal() p: Principal): Promise<MyInvitation[]> {
    return this.staff.mine(p);
  }

  @SignedIn()
  @Post(':id/accept')
  @HttpCode(200)
  accept(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
  ): Promise<{ cooperativeId: string; role: StaffRole }> {
    return this.staff.accept(p, id);
  }
}
