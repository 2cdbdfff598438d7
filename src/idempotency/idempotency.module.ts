import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { IdempotencyCleanupProcessor } from './idempotency-cleanup.processor.js';
import { IdempotencyInterceptor, UploadIdempotencyInterceptor } from './idempotency.interceptor.js';
import { IdempotencyRepository } from './idempotency.repository.js';

/** Safe retries: owns idempotency_keys; upload routes' modules import it for UploadIdempotencyInterceptor. */
@Module({
  providers: [
    IdempotencyRepository,
    IdempotencyCleanupProcessor,
    UploadIdempotencyInterceptor,
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
  exports: [IdempotencyRepository, UploadIdempotencyInterceptor],
})
export class IdempotencyModule {}
