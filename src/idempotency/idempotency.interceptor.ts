import {
  applyDecorators,
  Injectable,
  Logger,
  RequestMethod,
  SetMetadata,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type Type,
} from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA, MODULE_METADATA } from '@nestjs/common/constants.js';
import { ApiExtension } from '@nestjs/swagger';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { catchError, from, mergeMap, throwError, type Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/auth.guard.js';
import { domainError } from '../common/errors/error-codes.js';
import { setVersionETag } from '../common/http/etag.js';
import { parseIdempotencyKey, requestFingerprint, type StoredAnswer } from './idempotency.domain.js';
import { IdempotencyRepository } from './idempotency.repository.js';

const NOT_STORED_KEY = 'reconnect:idempotency-not-stored';

/**
 * Fields of a route's answer that are never written to idempotency_keys (a token's secret is shown once
 * and stored only as a hash): a replay answers the same record without them.
 */
export const NotStoredForReplay = (...fields: string[]): MethodDecorator => SetMetadata(NOT_STORED_KEY, fields);

const SAFE_TO_REPEAT_KEY = 'reconnect:safe-to-repeat';
/** Marks such a route in the OpenAPI document, which then offers no Idempotency-Key header for it. */
export const SAFE_TO_REPEAT_EXTENSION = 'x-safe-to-repeat';

/**
 * A POST that changes nothing (it takes a body too large for a query string) and answers a file, not
 * JSON: running it again is the safe retry, so an Idempotency-Key is neither claimed nor stored.
 */
export const SafeToRepeat = (): MethodDecorator =>
  applyDecorators(SetMetadata(SAFE_TO_REPEAT_KEY, true), ApiExtension(SAFE_TO_REPEAT_EXTENSION, true));

/** Headers that describe the answer and are replayed with it. */
const REPLAYED_HEADERS = ['location', 'etag', 'content-location'];

/** What multer leaves on the request once the upload is on disk. */
type UploadRequest = AuthenticatedRequest & { file?: { path: string; size: number; originalname: string } };

const isMultipart = (request: Request): boolean => (request.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/');

async function fileDigest(request: UploadRequest): Promise<string | null> {
  const file = request.file;
  if (!file) return null;
  const hash = createHash('sha256').update(`${file.originalname}\n${file.size}\n`);
  for await (const chunk of createReadStream(file.path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Idempotency-Key (draft-ietf-httpapi-idempotency-key-header) for every POST: the first request with a
 * key claims it, and its successful answer is stored; the same key with the same request answers that
 * again without running the handler; with another request it is 422; while the first still runs, 409.
 * A failed first attempt (an error answer) releases the key, so a retry runs again.
 *
 * Bound to every POST route by bindIdempotencyToPosts() for JSON bodies. A multipart body is parsed by
 * the route's own FileInterceptor, after this one runs, so upload routes add UploadIdempotencyInterceptor
 * after it instead.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');
  /** true for the instance placed after a route's FileInterceptor. */
  protected readonly afterUpload: boolean = false;

  constructor(
    private readonly keys: IdempotencyRepository,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<UploadRequest>();
    const header = request.headers['idempotency-key'];
    const principal = request.principal;
    if (header === undefined || !principal || isMultipart(request) !== this.afterUpload) return next.handle();
    const key = typeof header === 'string' ? parseIdempotencyKey(header) : null;
    if (!key) throw domainError('invalid_idempotency_key');
    const scope = principal.tokenId ? `token:${principal.tokenId}` : `staff:${principal.staffUserId ?? ''}`;
    const response = context.switchToHttp().getResponse<Response>();
    return from(this.begin(request, scope, key)).pipe(
      mergeMap((replay) => {
        if (replay) {
          for (const [name, value] of Object.entries(replay.headers)) response.setHeader(name, value);
          response.setHeader('Idempotency-Replayed', 'true');
          response.status(replay.status);
          return from([replay.body]);
        }
        return next.handle().pipe(
          mergeMap((body) => from(this.finish(scope, key, response, body, this.notStored(context)))),
          catchError((error: unknown) => from(this.release(scope, key)).pipe(mergeMap(() => throwError(() => error)))),
        );
      }),
    );
  }

  /** Claims the key; the stored answer when this is a replay, null when the handler should run. */
  private async begin(request: UploadRequest, scope: string, key: string): Promise<StoredAnswer | null> {
    const fingerprint = requestFingerprint(request.method, request.originalUrl, request.body, await fileDigest(request));
    const outcome = await this.keys.claim(scope, key, fingerprint);
    switch (outcome.kind) {
      case 'claimed':
        return null;
      case 'replay':
        return outcome.answer;
      case 'mismatch':
        throw domainError('idempotency_key_reused');
      case 'in_progress':
        throw domainError('idempotency_key_in_use');
    }
  }

  private notStored(context: ExecutionContext): string[] {
    return this.reflector.get<string[] | undefined>(NOT_STORED_KEY, context.getHandler()) ?? [];
  }

  private async finish(scope: string, key: string, response: Response, body: unknown, notStored: string[]): Promise<unknown> {
    // Set here as well as when the answer is sent (ETagExpressAdapter), which is after this: the replay needs it.
    setVersionETag(response, body);
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = response.getHeader(name);
      if (typeof value === 'string') headers[name] = value;
    }
    const stored =
      notStored.length && body !== null && typeof body === 'object'
        ? Object.fromEntries(Object.entries(body).filter(([field]) => !notStored.includes(field)))
        : body;
    await this.keys.complete(scope, key, { status: response.statusCode, headers, body: stored });
    return body;
  }

  private async release(scope: string, key: string): Promise<void> {
    try {
      await this.keys.release(scope, key);
    } catch (error) {
      // The request's own error is what the caller needs; an unreleased key frees itself once abandoned.
      this.logger.warn(`idempotency key release failed: ${(error as Error).name}`);
    }
  }
}

/** The same, placed after a route's FileInterceptor so that the uploaded file is part of the request's hash. */
@Injectable()
export class UploadIdempotencyInterceptor extends IdempotencyInterceptor {
  protected override readonly afterUpload = true;
}

/**
 * Puts IdempotencyInterceptor first on every POST route of these modules' controllers (but those safe to
 * repeat), once per process. Bound per route rather than globally: a global interceptor sends every
 * request, each GET lookup too, through Nest's interceptor chain (rxjs pipes, async scopes), which cost
 * 0.04-0.08 ms of API CPU a request (device lookup 0.66 -> 0.62 ms, tickets page 1.20 -> 1.12 ms, medians of 3
 * alternated runs at 500/s). Called before Nest scans the modules, so it resolves the interceptor
 * in each controller's module (IdempotencyModule is global).
 */
export function bindIdempotencyToPosts(modules: Type[]): void {
  for (const module of modules) {
    const controllers = (Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, module) ?? []) as Type[];
    for (const controller of controllers) {
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) !== RequestMethod.POST) continue;
        if (Reflect.getMetadata(SAFE_TO_REPEAT_KEY, handler)) continue;
        const bound = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) ?? []) as unknown[];
        if (!bound.includes(IdempotencyInterceptor))
          Reflect.defineMetadata(INTERCEPTORS_METADATA, [IdempotencyInterceptor, ...bound], handler);
      }
    }
  }
}
