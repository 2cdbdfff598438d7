import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, type ErrorKind, type FieldError } from '../errors/domain-error.js';
import { isDatabaseUnavailable } from '../../database/pg-errors.js';
import { MAX_JSON_DEPTH } from './input-guard.js';
import { domainError, HTTP_ERROR_CODES, UNKNOWN_HTTP_ERROR_CODE } from '../errors/error-codes.js';

/** The HTTP status of each kind of error; the catalogue (error-codes.ts) gives every code its kind. */
export const STATUS: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** Seconds a client is asked to wait while PostgreSQL is unreachable: long enough for a failover or restart. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Errors thrown by body parsing (express/body-parser) carry a `type` we can name precisely. */
function fromBodyParser(error: { type?: string; status?: number; message?: string }): DomainError | null {
  switch (error.type) {
    case 'entity.parse.failed':
      return domainError('malformed_json');
    case 'entity.too.large':
      return domainError('payload_too_large');
    case 'entity.too.deep':
      return domainError('json_too_deep', MAX_JSON_DEPTH);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return domainError('unsupported_encoding', error.message);
    default:
      return null;
  }
}

function fromHttpException(exception: HttpException): { status: number; code: string; detail: string } {
  const status = exception.getStatus();
  const body = exception.getResponse();
  const message = typeof body === 'object' && body !== null && 'message' in body ? String(body.message) : exception.message;
  const code = HTTP_ERROR_CODES[status] ?? UNKNOWN_HTTP_ERROR_CODE;
  return { status, code, detail: message };
}

/** The one place where errors become HTTP: RFC 9457 problem details, never internals. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: string }>();
    const response = http.getResponse<Response>();
    const problem = this.toProblem(exception, request);
    if (problem.code === 'database_unavailable') {
      // Also what a request gets when every pooled connection stayed busy for the pool's 5 s wait (a
      // saturated server): pg-pool reports both the same way, and both are worth a retry later.
      this.logger.warn({ requestId: request.id, code: problem.code }, 'no database connection (unreachable, or every pooled one busy)');
    } else if (problem.status >= 500) {
      this.logger.error({ requestId: request.id, err: exception }, 'unhandled error');
    }
    if (typeof problem['retryAfterSeconds'] === 'number') response.setHeader('Retry-After', String(problem['retryAfterSeconds']));
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, request: Request & { id?: string }): ProblemDetails {
    const base = { instance: request.originalUrl, requestId: request.id };
    // Nest wraps body-parser's errors in an HttpException; the original says what went wrong.
    const cause = exception instanceof HttpException ? exception.cause : exception;
    const domain =
      exception instanceof DomainError
        ? exception
        : cause instanceof DomainError
          ? cause
          : isDatabaseUnavailable(cause)
            ? domainError('database_unavailable', DATABASE_RETRY_AFTER_SECONDS)
            : fromBodyParser(cause ?? {});
    if (domain) {
      const status = STATUS[domain.kind];
      return {
        type: `/problems/${domain.code}`,
        title: TITLES[status] ?? 'Error',
        status,
        detail: domain.message,
        code: domain.code,
        ...base,
        ...(domain.errors.length ? { errors: domain.errors } : {}),
        ...domain.extra,
      };
    }
    if (exception instanceof HttpException) {
      const { status, code, detail } = fromHttpException(exception);
      return { type: `/problems/${code}`, title: TITLES[status] ?? 'Error', status, detail, code, ...base };
    }
    const internal = domainError('internal_error', request.id);
    const status = STATUS[internal.kind];
    return {
      type: `/problems/${internal.code}`,
      title: TITLES[status] ?? 'Error',
      status,
      detail: internal.message,
      code: internal.code,
      ...base,
    };
  }
}
