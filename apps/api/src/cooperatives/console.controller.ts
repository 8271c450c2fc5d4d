import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import {
  bulkLinkMembersSchema,
  createInvitationSchema,
  leaveMemberSchema,
  linkMemberSchema,
  membersQuerySchema,
  updateCooperativeProfileSchema,
  updateMemberSchema,
  type BulkLinkMembersResponse,
  type ConsoleCooperative,
  type CooperativeStaff,
  type MemberView,
  type Page,
  type StaffInvitationView,
} from '@xiangbo/contracts';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Roles } from '../common/access.decorators';
import { CooperativesService } from './cooperatives.service';
import { MembersService } from './members.service';
import { StaffService } from './staff.service';

class UpdateProfileDto extends createZodDto(updateCooperativeProfileSchema) {}
class CreateInvitationDto extends createZodDto(createInvitationSchema) {}
class MembersQueryDto extends createZodDto(membersQuerySchema) {}
class LinkMemberDto extends createZodDto(linkMemberSchema) {}
class BulkLinkMembersDto extends createZodDto(bulkLinkMembersSchema) {}
class UpdateMemberDto extends createZodDto(updateMemberSchema) {}
class LeaveMemberDto extends createZodDto(leaveMemberSchema) {}

/**
 * The cooperative console. The guard lets in anyone holding host or coop_admin for some cooperative; the
 * services then scope to THIS cooperative: no role here → 404, host here → read only (403 on changes).
 */
@ApiTags('console')
@ApiBearerAuth()
@Controller('console/cooperatives/:id')
export class ConsoleController {
  constructor(
    private readonly cooperatives: CooperativesService,
    private readonly staff: StaffService,
    private readonly members: MembersService,
  ) {}

  @Roles('coop_admin', 'host')
  @Get()
  get(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<ConsoleCooperative> {
    return this.cooperatives.getForConsole(p, id);
  }

  /** Story and contact only: name, USCC, region and status are not the cooperative's to change. */
  @Roles('coop_admin', 'host')
  @Patch()
  update(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: UpdateProfileDto,
  ): Promise<ConsoleCooperative> {
    return this.cooperatives.updateProfile(p, id, body);
  }

  // ---------- Staff ----------

  @Roles('coop_admin', 'host')
  @Get('staff')
  listStaff(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<CooperativeStaff> {
    return this.staff.list(p, id);
  }

  @Roles('coop_admin', 'host')
  @Post('staff/invitations')
  invite(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: CreateInvitationDto,
  ): Promise<StaffInvitationView> {
    return this.staff.invite(p, id, body);
  }

  @Roles('coop_admin', 'host')
  @Delete('staff/invitations/:invitationId')
  @HttpCode(204)
  revoke(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('invitationId') invitationId: string,
  ): Promise<void> {
    return this.staff.revoke(p, id, invitationId);
  }

  @Roles('coop_admin', 'host')
  @Delete('staff/:userId/roles/:role')
  @HttpCode(204)
  removeRole(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('userId') userId: string,
    @Param('role') role: string,
  ): Promise<void> {
    return this.staff.removeRole(p, id, userId, role);
  }

  // ---------- Members ----------

  @Roles('coop_admin', 'host')
  @Get('members')
  listMembers(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Query() query: MembersQueryDto,
  ): Promise<Page<MemberView>> {
    return this.members.list(p, id, query);
  }

  /** Links a registry household by its head's ID number (never stored; matched by keyed hash). */
  @Roles('coop_admin', 'host')
  @Post('members')
  link(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: LinkMemberDto): Promise<MemberView> {
    return this.members.link(p, id, body);
  }

  /** Links many registry households at once (pasted lines or a CSV): a preview, then the commit; a verdict per line. */
  @Roles('coop_admin', 'host')
  @Post('members/bulk')
  @HttpCode(200)
  bulkLink(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: BulkLinkMembersDto,
  ): Promise<BulkLinkMembersResponse> {
    return this.members.bulkLink(p, id, body as Required<BulkLinkMembersDto>);
  }

  /** Shares, land and labour role; a `status` or `householdId` in the body is ignored. */
  @Roles('coop_admin', 'host')
  @Patch('members/:membershipId')
  updateMember(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('membershipId') membershipId: string,
    @Body() body: UpdateMemberDto,
  ): Promise<MemberView> {
    return this.members.update(p, id, membershipId, body);
  }

  @Roles('coop_admin', 'host')
  @Post('members/:membershipId/leave')
  @HttpCode(200)
  leave(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('membershipId') membershipId: string,
    @Body() body: LeaveMemberDto,
  ): Promise<MemberView> {
    return this.members.leave(p, id, membershipId, body.leftAt);
  }
}
