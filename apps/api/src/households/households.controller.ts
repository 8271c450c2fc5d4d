import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import {
  createHouseholdRequestSchema,
  HouseholdDetail,
  HouseholdPhoneView,
  householdPhoneSchema,
  householdSearchQuerySchema,
  HouseholdSummary,
  Page,
  REGISTRY_IMPORT_MAX_BYTES,
  RegistryImportReport,
  registryImportQuerySchema,
  statusEventRequestSchema,
  updateHouseholdRequestSchema,
} from '@xiangbo/contracts';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Roles } from '../common/access.decorators';
import { HouseholdErrorCodes, HouseholdException } from './households.exception';
import { HouseholdsService } from './households.service';
import { RegistryImportService, UploadedCsv } from './registry-import.service';

class CreateHouseholdDto extends createZodDto(createHouseholdRequestSchema) {}
class UpdateHouseholdDto extends createZodDto(updateHouseholdRequestSchema) {}
class StatusEventDto extends createZodDto(statusEventRequestSchema) {}
class HouseholdPhoneDto extends createZodDto(householdPhoneSchema) {}
class HouseholdSearchDto extends createZodDto(householdSearchQuerySchema) {}
class RegistryImportQueryDto extends createZodDto(registryImportQuerySchema) {}

/** The household registry: platform admins only (coop admins see their members' status through their console). */
@ApiTags('registry')
@ApiBearerAuth()
@Controller('admin/households')
export class HouseholdsController {
  constructor(
    private readonly households: HouseholdsService,
    private readonly importer: RegistryImportService,
  ) {}

  @Roles('platform_admin')
  @Post()
  create(@CurrentPrincipal() p: Principal, @Body() body: CreateHouseholdDto): Promise<HouseholdDetail> {
    return this.households.create(p, body);
  }

  /** Search by head's name (part of it) or a whole ID number, village and status. */
  @Roles('platform_admin')
  @Get()
  search(@CurrentPrincipal() p: Principal, @Query() query: HouseholdSearchDto): Promise<Page<HouseholdSummary>> {
    return this.households.search(p, query);
  }

  /** The same search with the terms in the body, so an ID number never appears in a URL (and server logs). */
  @Roles('platform_admin')
  @Post('search')
  @HttpCode(200)
  searchByBody(@CurrentPrincipal() p: Principal, @Body() body: HouseholdSearchDto): Promise<Page<HouseholdSummary>> {
    return this.households.search(p, body);
  }

  /** CSV with Chinese headers (UTF-8 or GBK), at most 5 MB; answers a report per row. */
  @Roles('platform_admin')
  @Post('import')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
  })
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: REGISTRY_IMPORT_MAX_BYTES, files: 1, fields: 10 } }))
  import(
    @CurrentPrincipal() p: Principal,
    @UploadedFile() file: UploadedCsv | undefined,
    @Query() query: RegistryImportQueryDto,
  ): Promise<RegistryImportReport> {
    if (!file) {
      throw new HouseholdException(HouseholdErrorCodes.FILE_REQUIRED, 'send the CSV file as multipart field "file"', {
        field: 'file',
      });
    }
    return this.importer.import(p, { buffer: file.buffer, originalname: fileName(file.originalname) }, query.dryRun);
  }

  @Roles('platform_admin')
  @Get(':id')
  detail(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<HouseholdDetail> {
    return this.households.detail(p, id);
  }

  /** Corrects particulars; the ID number and the status are not changed here (status: POST status-events). */
  @Roles('platform_admin')
  @Patch(':id')
  update(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: UpdateHouseholdDto,
  ): Promise<HouseholdDetail> {
    return this.households.update(p, id, body);
  }

  /** The phone payout confirmation codes go to: set or removed by the platform only (a cooperative never can). */
  @Roles('platform_admin')
  @Put(':id/phone')
  setPhone(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: HouseholdPhoneDto,
  ): Promise<HouseholdDetail> {
    return this.households.setPhone(p, id, body.phone);
  }

  /** The phone in full (the detail shows it masked); the read is access-logged. */
  @Roles('platform_admin')
  @Get(':id/phone')
  readPhone(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<HouseholdPhoneView> {
    return this.households.readPhone(p, id);
  }

  /** Only the registry changes a status: an event with its date and reason is appended, never an overwrite. */
  @Roles('platform_admin')
  @Post(':id/status-events')
  addStatusEvent(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: StatusEventDto,
  ): Promise<HouseholdDetail> {
    return this.households.addStatusEvent(p, id, body);
  }
}

/** Busboy reads multipart file names as latin1; browsers send UTF-8 (Chinese file names). */
function fileName(raw: string | undefined): string {
  if (!raw) return '';
  const utf8 = Buffer.from(raw, 'latin1').toString('utf8');
  return (utf8.includes('\uFFFD') ? raw : utf8).slice(0, 80);
}
