import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import { MAX_IMAGE_BYTES } from './image';

/**
 * A route that takes one image as the multipart field `field` (a photo, a logo, a cover): at most MAX_IMAGE_BYTES,
 * one file, a few fields; documented as such. The handler reads it with `@UploadedFile()` and hands it to
 * processImage (which checks what it really is).
 */
export function ImageUpload(field = 'photo') {
  return applyDecorators(
    ApiConsumes('multipart/form-data'),
    ApiBody({ schema: { type: 'object', properties: { [field]: { type: 'string', format: 'binary' } } } }),
    UseInterceptors(FileInterceptor(field, { limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 5 } })),
  );
}
