import { Global, Module } from '@nestjs/common';
import { IdempotencyCleanupProcessor } from './idempotency-cleanup.processor.js';
import { UploadIdempotencyInterceptor } from './idempotency.interceptor.js';
import { IdempotencyRepository } from './idempotency.repository.js';

/**
 * Safe retries: owns idempotency_keys. Global, so that every module's POST routes resolve the
 * IdempotencyInterceptor bound to them (bindIdempotencyToPosts); upload routes add UploadIdempotencyInterceptor.
 */
@Global()
@Module({
  providers: [IdempotencyRepository, IdempotencyCleanupProcessor, UploadIdempotencyInterceptor],
  exports: [IdempotencyRepository, UploadIdempotencyInterceptor],
})
export class IdempotencyModule {}
