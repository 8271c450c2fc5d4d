import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import {
  productListQuerySchema,
  type ProductDetail,
  type ProductFacets,
  type ProductListResponse,
} from '@xiangbo/contracts';
import { Public } from '../common/access.decorators';
import { ProductsService } from './products.service';

class ProductListQueryDto extends createZodDto(productListQuerySchema) {}

/** The public catalogue: published products of approved cooperatives. */
@ApiTags('catalog')
@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  /** Search (Chinese or not), filter by category, province and cooperative, sort, paginate. */
  @Public()
  @Get()
  list(@Query() query: ProductListQueryDto): Promise<ProductListResponse> {
    return this.products.list(query);
  }

  /** Provinces and categories that have products, with counts (for the filters). */
  @Public()
  @Get('facets')
  facets(): Promise<ProductFacets> {
    return this.products.facets();
  }

  /** The product page: photos, cooperative and the trace (lots, supplying households with masked names). */
  @Public()
  @Get(':id')
  detail(@Param('id') id: string): Promise<ProductDetail> {
    return this.products.detail(id);
  }
}
