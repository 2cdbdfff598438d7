import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { pinoHttp } from 'pino-http';
import { logger } from '../logging/logger.js';
import { runWithRequestId } from './request-context.js';

const INCOMING_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** Paths only: query strings may carry names or emails being searched for, and bodies are never logged. */
export const ACCESS_LOG_SERIALIZERS = {
  req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
  res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
};

const httpLogger = pinoHttp({
  logger,
  genReqId: (req, res) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', id);
    return id;
  },
  serializers: ACCESS_LOG_SERIALIZERS,
  customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
  autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health/') },
});

/** Gives each request an id (echoed as X-Request-Id), one JSON log line, and the id in async context. */
export function requestLogging(req: Request, res: Response, next: NextFunction): void {
  httpLogger(req, res);
  // genReqId above makes every id a string; pino-http types it more widely.
  runWithRequestId(req.id as string, next);
}
