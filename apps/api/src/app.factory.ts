import { DynamicModule, INestApplication, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { AppModule } from './app.module';
import { apiCompression, serveBuiltStorefront } from './common/web-delivery';
import { ControlCharactersPipe, controlCharactersMiddleware } from './common/control-characters';
import { AppConfig } from './config/config';

/** How the Nest application is instantiated from the root module: NestFactory, or a testing module with overrides. */
export type AppInstantiator = (
  module: DynamicModule,
  options: NestApplicationOptions,
) => Promise<NestExpressApplication>;

/** Builds the whole configured application (not yet listening): used by main.ts and by the integration tests. */
export async function createApp(
  config: AppConfig,
  databaseUrl: string,
  instantiate: AppInstantiator = (module, options) => NestFactory.create<NestExpressApplication>(module, options),
): Promise<INestApplication> {
  const app = await instantiate(AppModule.register(config, databaseUrl), {
    bufferLogs: true,
    rawBody: true, // payment webhooks verify signatures on the exact bytes
  });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.TRUST_PROXY ? 1 : false);
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: '1mb' });
  app.use(apiCompression());
  app.use(cookieParser());
  app.enableCors({
    origin: (origin, cb) => cb(null, !origin || config.CORS_ORIGINS.includes(origin)),
    credentials: true,
  });
  // One rule over every route: no control characters that make no sense in the field (NUL never) → 400.
  app.use(controlCharactersMiddleware);
  app.useGlobalPipes(new ControlCharactersPipe());
  app.setGlobalPrefix('api');
  app.enableShutdownHooks();

  // Swagger UI needs inline scripts and styles; everything else gets the strict policy.
  const strict = helmet({
    contentSecurityPolicy: {
      directives: {
        'img-src': ["'self'", 'data:', 'blob:'],
        'connect-src': ["'self'", 'ws:', 'wss:', ...mediaOrigins(config)],
        // Live video plays through Media Source Extensions (blob: URLs); hls.js parses in a blob: worker.
        'media-src': ["'self'", 'blob:', ...mediaOrigins(config)],
        'worker-src': ["'self'", 'blob:'],
      },
    },
  });
  const relaxed = helmet({ contentSecurityPolicy: false });
  app.use((req: Request, res: Response, next: NextFunction) =>
    (req.path.startsWith('/api/docs') ? relaxed : strict)(req, res, next),
  );
  // The API's map (Swagger UI and the OpenAPI document) is public only where it is meant to be: on outside
  // production, off in production unless API_DOCS=true.
  if (apiDocsEnabled(config)) {
    const docs = SwaggerModule.createDocument(
      app,
      new DocumentBuilder().setTitle('Xiangbo 乡播 API').setVersion('0.1').addBearerAuth().build(),
    );
    SwaggerModule.setup('api/docs', app, cleanupOpenApiDoc(docs), { jsonDocumentUrl: 'api/docs/openapi.json' });
  }

  serveStorefront(app, config);
  return app;
}

export function apiDocsEnabled(config: AppConfig): boolean {
  return config.API_DOCS ?? config.NODE_ENV !== 'production';
}

/**
 * The built storefront at "/", with the SPA's index.html for every non-API GET (one port serves the product):
 * precompressed files, hashed assets cached for a year, index.html never stale (common/web-delivery.ts).
 */
function serveStorefront(app: NestExpressApplication, config: AppConfig) {
  serveBuiltStorefront(app, config.STOREFRONT_DIR);
}

/** Origins of an external media server's playback URLs (the embedded one is same-origin). */
function mediaOrigins(config: AppConfig): string[] {
  const origins = [config.MEDIA_FLV_URL_TEMPLATE, config.MEDIA_HLS_URL_TEMPLATE].flatMap((t) => {
    try {
      return t ? [new URL(t.replaceAll('{playbackId}', 'x')).origin] : [];
    } catch {
      return [];
    }
  });
  return [...new Set(origins)];
}
