import { Module } from '@nestjs/common';
import { IdNumberHasher } from '../households/id-number-hasher';
import { AdminCooperativesController } from './admin-cooperatives.controller';
import { ConsoleController } from './console.controller';
import { CooperativesController } from './cooperatives.controller';
import { CooperativesService } from './cooperatives.service';
import { InvitationsController } from './invitations.controller';
import { MembersService } from './members.service';
import { StaffService } from './staff.service';

/** Cooperatives: applying and review, public pages, the console's profile, staff and member households. */
@Module({
  controllers: [CooperativesController, AdminCooperativesController, ConsoleController, InvitationsController],
  providers: [CooperativesService, StaffService, MembersService, IdNumberHasher],
  exports: [CooperativesService],
})
export class CooperativesModule {}
