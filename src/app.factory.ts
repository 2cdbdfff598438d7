import { NestFactory } from '@nestjs/core';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { json, urlencoded } from 'express';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import { ETagExpressAdapter } from './common/http/etag.js';
import { ProblemDetailsFilter } from './common/http/problem-details.filter.js';
import { rejectUnsafeInput, requireJsonBody, verifyJsonDepth } from './common/http/input-guard.js';
import { securityHeaders } from './common/http/security-headers.js';
import { serveConsole } from './common/http/console-static.js';
import { requestLogging } from './common/http/request-logging.js';
import { createValidationPipe } from './common/http/validation.pipe.js';
import { SAFE_TO_REPEAT_EXTENSION } from './idempotency/idempotency.interceptor.js';
import { NestPinoLogger } from './common/logging/logger.js';

export const API_PREFIX = 'api/v1';
/** The browser's sign-in routes (src/auth/sign-in.controller.ts) live outside the API prefix. */
/** API routes that take a multipart upload (below /api/v1); every other API body is JSON. */
const UPLOAD_PATHS = ['/imports'];
const SIGN_IN_ROUTES = ['sign-in', 'sign-in/token', 'auth/oidc/start', 'auth/oidc/callback'];

export function buildOpenApi(app: INestApplication) {
  const document = new DocumentBuilder()
    .setTitle('Reconnect API')
    .setDescription(
      'Devices, custody and connectivity for school districts. Every /api/v1 route needs `Authorization: Bearer <token>` ' +
        'or a session cookie from signing in at /sign-in (then changes must come from the same origin). ' +
        'Errors are application/problem+json (RFC 9457) with a stable `code`.',
    )
    .setVersion('1')
    .addBearerAuth()
    .addCookieAuth('reconnect_session')
    .build();
  return withConditionalHeaders(SwaggerModule.createDocument(app, document));
}

/** Idempotency-Key on every POST (but those safe to repeat) and If-Match on every PATCH, applied by interceptors rather than per route. */
function withConditionalHeaders(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    if (item.post && !(SAFE_TO_REPEAT_EXTENSION in item.post))
      (item.post.parameters ??= []).push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'Retry safely: the same key and body replay the first answer (24 hours, per caller). See README, API conventions.',
        schema: { type: 'string', maxLength: 255 },
      });
    if (item.patch)
      (item.patch.parameters ??= []).push({
        name: 'If-Match',
        in: 'header',
        required: false,
        description: 'The ETag of the version read; an older or bogus one is 412 precondition_failed and changes nothing.',
        schema: { type: 'string' },
      });
  }
  return document;
}

/** The HTTP application exactly as production runs it; the e2e tests use this too. */
export async function createHttpApp(config: AppConfig, options: { worker: boolean }): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, options), new ETagExpressAdapter(), {
    logger: new NestPinoLogger(),
    bodyParser: false,
    abortOnError: false,
  });
  app.disable('x-powered-by');
  // Express's weak ETag hashes every answer (sha1 of lists of 50 rows); API answers are no-store, so no client
  // revalidates with them. Records keep their strong ETag, the version (src/common/http/etag.ts).
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  app.use(requestLogging);
  app.use(securityHeaders({ https: config.publicUrl?.startsWith('https:') ?? false, apiPrefix: API_PREFIX }));
  // No CORS headers at all unless origins are configured: browsers then refuse cross-origin calls.
  if (config.corsOrigins.length) app.enableCors({ origin: config.corsOrigins, credentials: false, exposedHeaders: ['X-Request-Id'] });
  app.use(serveConsole(config.webDir));
  app.use(`/${API_PREFIX}`, requireJsonBody(UPLOAD_PATHS));
  app.use(json({ limit: config.jsonBodyLimitBytes, type: ['application/json', 'application/*+json'], verify: verifyJsonDepth }));
  app.use(urlencoded({ extended: false, limit: config.jsonBodyLimitBytes }));
  app.use(rejectUnsafeInput);
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health/live', 'health/ready', ...SIGN_IN_ROUTES] });
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(createValidationPipe());
  // Off unless API_DOCS=true: the document maps every route for whoever asks.
  if (config.apiDocs) SwaggerModule.setup('api/docs', app, () => buildOpenApi(app), { jsonDocumentUrl: 'api/docs-json' });
  await app.init();
  return app;
}

/** A worker-only process: no HTTP server, just the queues. */
export async function createWorkerContext(config: AppConfig): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(AppModule.register(config, { worker: true }), {
    logger: new NestPinoLogger(),
    abortOnError: false,
  });
  await app.init();
  return app;
}
