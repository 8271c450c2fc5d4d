import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ZodValidationException } from 'nestjs-zod';
import { QueryFailedError } from 'typeorm';
import type { ZodError } from 'zod';
import type { ApiErrorBody, FieldError } from '@xiangbo/contracts';
import { AppException } from './app.exception';

const STATUS_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

export function zodFieldErrors(error: ZodError): FieldError[] {
  return error.issues.map((i) => ({ field: i.path.length ? i.path.join('.') : 'body', message: i.message }));
}

/** Maps every error thrown over HTTP to one body shape; unexpected errors are logged and never leak details. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request & { id?: string }>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500) {
      this.logger.error({ err: exception, path: req.url }, 'unhandled error');
    }
    if (exception instanceof AppException && exception.headers) {
      for (const [k, v] of Object.entries(exception.headers)) res.setHeader(k, v);
    }
    body.requestId = req.id !== undefined ? String(req.id) : undefined;
    if (res.headersSent) return;
    res.status(body.statusCode).json(body);
  }

  private toBody(e: unknown): ApiErrorBody {
    if (e instanceof AppException) {
      return {
        statusCode: e.status,
        code: e.code,
        message: e.message,
        ...(e.errors ? { errors: e.errors } : {}),
        ...(e.details ? { details: e.details } : {}),
      };
    }
    if (e instanceof ZodValidationException) {
      const errors = zodFieldErrors(e.getZodError() as ZodError);
      return {
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: errors.map((x) => `${x.field}: ${x.message}`).join('; '),
        errors,
      };
    }
    if (e instanceof HttpException) {
      const status = e.getStatus();
      // Nest turns body-parser's SyntaxError into a BadRequestException carrying the parser's message.
      if (status === 400 && /JSON/.test(e.message)) {
        return { statusCode: 400, code: 'MALFORMED_BODY', message: 'the request body is not valid JSON' };
      }
      const r = e.getResponse();
      const message =
        typeof r === 'string'
          ? r
          : Array.isArray((r as { message?: unknown }).message)
            ? (r as { message: string[] }).message.join('; ')
            : String((r as { message?: unknown }).message ?? e.message);
      return { statusCode: status, code: STATUS_CODES[status] ?? `HTTP_${status}`, message };
    }
    // body-parser errors (malformed JSON, too large) arrive as plain errors carrying a status.
    const anyErr = e as { type?: string; status?: number; statusCode?: number; message?: string };
    if (anyErr && typeof anyErr === 'object' && (anyErr.status ?? anyErr.statusCode) && anyErr.type) {
      const status = (anyErr.status ?? anyErr.statusCode) as number;
      if (anyErr.type === 'entity.parse.failed') {
        return { statusCode: 400, code: 'MALFORMED_BODY', message: 'the request body is not valid JSON' };
      }
      if (anyErr.type === 'entity.too.large') {
        return { statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: 'the request body is too large' };
      }
      if (status < 500)
        return {
          statusCode: status,
          code: STATUS_CODES[status] ?? `HTTP_${status}`,
          message: anyErr.message ?? 'bad request',
        };
    }
    if (e instanceof QueryFailedError) {
      const driverError = (e as QueryFailedError & { driverError?: { code?: string; constraint?: string } })
        .driverError;
      if (driverError?.code === '23505') {
        return { statusCode: 409, code: 'CONFLICT', message: `already exists (${driverError.constraint ?? 'unique'})` };
      }
      if (driverError?.code === '22P02') {
        return { statusCode: 400, code: 'VALIDATION_FAILED', message: 'a value has the wrong format' };
      }
    }
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      code: 'INTERNAL',
      message: 'something went wrong on our side',
    };
  }
}
