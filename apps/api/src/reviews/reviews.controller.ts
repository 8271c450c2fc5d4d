import { Body, Controller, Get, HttpCode, Param, Post, Query, UploadedFile } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import {
  createReviewSchema,
  hideReviewSchema,
  replyReviewSchema,
  reportReviewSchema,
  reviewListQuerySchema,
  type ConsoleReview,
  type OrderReviewsResponse,
  type ProductReviewsResponse,
  type PublicReview,
} from '@xiangbo/contracts';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Public, Roles, SignedIn } from '../common/access.decorators';
import { ReviewsService, type UploadedBytes } from './reviews.service';
import { ImageUpload } from '../storage/image-upload.decorator';

class CreateReviewDto extends createZodDto(createReviewSchema) {}
class ReplyReviewDto extends createZodDto(replyReviewSchema) {}
class ReportReviewDto extends createZodDto(reportReviewSchema) {}
class HideReviewDto extends createZodDto(hideReviewSchema) {}
class ReviewListQueryDto extends createZodDto(reviewListQuerySchema) {}

/** Reviews: the buyer's (per completed order line), the public's (per product), the cooperative's and the platform's. */
@ApiTags('reviews')
@ApiBearerAuth()
@Controller()
export class ReviewsController {
  constructor(private readonly reviews: ReviewsService) {}

  /** Refused unless the order is the caller's and completed; one review per line. */
  @SignedIn()
  @Post('orders/:id/reviews')
  create(
    @CurrentPrincipal() p: Principal,
    @Param('id') orderId: string,
    @Body() body: CreateReviewDto,
  ): Promise<PublicReview> {
    return this.reviews.create(p.userId, orderId, body);
  }

  @SignedIn()
  @Get('orders/:id/reviews')
  forOrder(@CurrentPrincipal() p: Principal, @Param('id') orderId: string): Promise<OrderReviewsResponse> {
    return this.reviews.forOrder(p.userId, orderId);
  }

  /** One photo per call (multipart field "photo"), to the caller's own review, within a day, at most 6. */
  @SignedIn()
  @Post('reviews/:id/photos')
  @ImageUpload()
  addPhoto(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @UploadedFile() file: UploadedBytes | undefined,
  ): Promise<PublicReview> {
    return this.reviews.addPhoto(p.userId, id, file);
  }

  @SignedIn()
  @Post('reviews/:id/report')
  @HttpCode(204)
  async report(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: ReportReviewDto,
  ): Promise<void> {
    await this.reviews.report(p.userId, id, body.reason);
  }

  @Public()
  @Get('products/:id/reviews')
  forProduct(@Param('id') id: string, @Query() q: ReviewListQueryDto): Promise<ProductReviewsResponse> {
    return this.reviews.forProduct(id, q.page, q.pageSize);
  }

  @Roles('coop_admin', 'host')
  @Get('console/cooperatives/:coopId/reviews')
  forCooperative(@CurrentPrincipal() p: Principal, @Param('coopId') coopId: string): Promise<ConsoleReview[]> {
    return this.reviews.listForCooperative(p, coopId);
  }

  @Roles('coop_admin', 'host')
  @Post('console/reviews/:id/reply')
  @HttpCode(200)
  reply(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: ReplyReviewDto,
  ): Promise<ConsoleReview> {
    return this.reviews.reply(p, id, body.text);
  }

  @Roles('platform_admin')
  @Get('admin/reviews/reported')
  reported(): Promise<ConsoleReview[]> {
    return this.reviews.reported();
  }

  @Roles('platform_admin')
  @Post('admin/reviews/:id/visibility')
  @HttpCode(200)
  setHidden(@Param('id') id: string, @Body() body: HideReviewDto): Promise<ConsoleReview> {
    return this.reviews.setHidden(id, body.hidden, body.reason);
  }
}
