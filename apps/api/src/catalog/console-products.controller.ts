import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, UploadedFile } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import {
  createLotSchema,
  createProductSchema,
  reorderPhotosSchema,
  updateProductSchema,
  type ConsoleLot,
  type ConsoleProduct,
  type MemberHousehold,
  type PendingPhoto,
} from '@xiangbo/contracts';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Roles } from '../common/access.decorators';
import { ConsoleProductsService, type UploadedFileBytes } from './console-products.service';
import { LotsService } from './lots.service';
import { ImageUpload } from '../storage/image-upload.decorator';

class CreateProductDto extends createZodDto(createProductSchema) {}
class UpdateProductDto extends createZodDto(updateProductSchema) {}
class ReorderPhotosDto extends createZodDto(reorderPhotosSchema) {}
class CreateLotDto extends createZodDto(createLotSchema) {}

/**
 * The cooperative console's catalogue. The coop_admin of the product's cooperative writes, its hosts read;
 * staff of other cooperatives get 404, other signed-in users 403, anonymous callers 401.
 */
@ApiTags('console')
@ApiBearerAuth()
@Controller('console')
@Roles('coop_admin', 'host')
export class ConsoleProductsController {
  constructor(
    private readonly products: ConsoleProductsService,
    private readonly lots: LotsService,
  ) {}

  @Get('cooperatives/:coopId/products')
  list(@CurrentPrincipal() p: Principal, @Param('coopId') coopId: string): Promise<ConsoleProduct[]> {
    return this.products.listForCooperative(p, coopId);
  }

  @Roles('coop_admin')
  @Post('cooperatives/:coopId/products')
  create(
    @CurrentPrincipal() p: Principal,
    @Param('coopId') coopId: string,
    @Body() body: CreateProductDto,
  ): Promise<ConsoleProduct> {
    return this.products.create(p, coopId, body);
  }

  /**
   * A photo for a product not saved yet (multipart field "photo", as for a product's photos): the new-product form
   * uploads while the admin types and sends the ids in its create request. Kept a day unless a product takes it.
   */
  @Roles('coop_admin')
  @Post('cooperatives/:coopId/pending-photos')
  @ImageUpload()
  uploadPendingPhoto(
    @CurrentPrincipal() p: Principal,
    @Param('coopId') coopId: string,
    @UploadedFile() file: UploadedFileBytes | undefined,
  ): Promise<PendingPhoto> {
    return this.products.uploadPendingPhoto(p, coopId, file);
  }

  @Roles('coop_admin')
  @Delete('cooperatives/:coopId/pending-photos/:photoId')
  @HttpCode(204)
  deletePendingPhoto(
    @CurrentPrincipal() p: Principal,
    @Param('coopId') coopId: string,
    @Param('photoId') photoId: string,
  ): Promise<void> {
    return this.products.deletePendingPhoto(p, coopId, photoId);
  }

  /** Active member households of the cooperative (masked names), to pick as lot suppliers. */
  @Get('cooperatives/:coopId/member-households')
  memberHouseholds(@CurrentPrincipal() p: Principal, @Param('coopId') coopId: string): Promise<MemberHousehold[]> {
    return this.products.memberHouseholds(p, coopId);
  }

  @Get('products/:id')
  get(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<ConsoleProduct> {
    return this.products.get(p, id);
  }

  @Roles('coop_admin')
  @Patch('products/:id')
  update(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: UpdateProductDto,
  ): Promise<ConsoleProduct> {
    return this.products.update(p, id, body);
  }

  /** One photo per call (multipart field "photo": JPEG, PNG or WebP, at most 8 MB); at most 8 per product. */
  @Roles('coop_admin')
  @Post('products/:id/photos')
  @ImageUpload()
  addPhoto(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @UploadedFile() file: UploadedFileBytes | undefined,
  ): Promise<ConsoleProduct> {
    return this.products.addPhoto(p, id, file);
  }

  @Roles('coop_admin')
  @Delete('products/:id/photos/:photoId')
  deletePhoto(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('photoId') photoId: string,
  ): Promise<ConsoleProduct> {
    return this.products.deletePhoto(p, id, photoId);
  }

  @Roles('coop_admin')
  @Put('products/:id/photos/order')
  @HttpCode(200)
  reorderPhotos(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: ReorderPhotosDto,
  ): Promise<ConsoleProduct> {
    return this.products.reorderPhotos(p, id, body.photoIds);
  }

  @Get('products/:id/lots')
  listLots(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<ConsoleLot[]> {
    return this.lots.list(p, id);
  }

  @Roles('coop_admin')
  @Post('products/:id/lots')
  createLot(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: CreateLotDto,
  ): Promise<ConsoleLot> {
    return this.lots.create(p, id, body);
  }
}
