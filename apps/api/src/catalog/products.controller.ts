import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { productListQuerySchema, productSuggestQuerySchema } from '@xiangbo/contracts';
import { Public } from '../common/access.decorators';
import { ProductsService } from './products.service';
import { SerializedJson } from './serialized-json';

class ProductListQueryDto extends createZodDto(productListQuerySchema) {}
class ProductSuggestQueryDto extends createZodDto(productSuggestQuerySchema) {}

/**
 * The public catalogue: published products of approved cooperatives. The answers (ProductListResponse,
 * ProductFacets, ProductDetail) come from CatalogCache and are sent as JSON serialised once per cached answer.
 */
@ApiTags('catalog')
@Controller('products')
export class ProductsController {
  private readonly json = new SerializedJson();

  constructor(private readonly products: ProductsService) {}

  /** Search (Chinese or not), filter by category, province and cooperative, sort, paginate: ProductListResponse. */
  @Public()
  @Get()
  async list(@Query() query: ProductListQueryDto, @Res({ passthrough: true }) res: Response): Promise<string> {
    return this.json.body(res, await this.products.list(query));
  }

  /** As-you-type suggestions (Chinese, pinyin in full or by initials, a prefix of either): ProductSuggestResponse. */
  @Public()
  @Get('suggest')
  async suggest(@Query() query: ProductSuggestQueryDto, @Res({ passthrough: true }) res: Response): Promise<string> {
    return this.json.body(res, await this.products.suggest(query.q));
  }

  /** Provinces and categories that have products, with counts (for the filters): ProductFacets. */
  @Public()
  @Get('facets')
  async facets(@Res({ passthrough: true }) res: Response): Promise<string> {
    return this.json.body(res, await this.products.facets());
  }

  /** The product page: photos, cooperative and the trace (lots, supplying households with masked names). */
  @Public()
  @Get(':id')
  async detail(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    return this.json.body(res, await this.products.detail(id));
  }
}
