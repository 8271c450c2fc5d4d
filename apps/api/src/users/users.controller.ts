import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { Me, Page, userSearchQuerySchema } from '@xiangbo/contracts';
import { Roles } from '../common/access.decorators';
import { UsersService } from './users.service';

class UserSearchQueryDto extends createZodDto(userSearchQuerySchema) {}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** Platform admins find accounts by e-mail, mobile or name (to grant roles, answer disputes). */
  @Roles('platform_admin')
  @Get()
  search(@Query() query: UserSearchQueryDto): Promise<Page<Me>> {
    return this.users.search(query);
  }
}
