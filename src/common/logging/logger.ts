import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'];
const fromEnv = process.env['LOG_LEVEL'] ?? 'info';

/** PostgreSQL's error fields that name what failed without quoting the data. */
const PG_FIELDS = ['code', 'constraint', 'table', 'column', 'routine'] as const;

function driverError(error: Error): Record<string, unknown> | null {
  const inner: unknown = 'driverError' in error ? error.driverError : error;
  return typeof inner === 'object' && inner !== null && 'severity' in inner && 'code' in inner ? inner : null;
}

/**
 * An error as a log line may carry it. A database error (TypeORM's QueryFailedError, or pg's own) keeps
 * only its code, constraint and where it failed: its SQL, parameters, message and detail can all quote a
 * student's name or email. Other errors keep their message and stack.
 */
export function errorForLog(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const pg = driverError(error);
  if (pg) {
    const fields = Object.fromEntries(PG_FIELDS.filter((key) => typeof pg[key] === 'string').map((key) => [key, pg[key]]));
    // The stack's first line repeats the message; the frames say where.
    return { type: error.name, ...fields, stack: error.stack?.split('\n').slice(1).join('\n') };
  }
  const code = 'code' in error && typeof error.code === 'string' ? { code: error.code } : {};
  return { type: error.name, message: error.message, ...code, stack: error.stack };
}

/**
 * JSON lines on stdout. Never log request bodies, query strings or SQL parameters: they can hold student data.
 * Written asynchronously: a line per request written synchronously was a blocking write(2) on the event
 * loop for every request; lines that come while one is being written go out together with the next,
 * and pino writes what is left when the process exits.
 */
export function createLogger(destination?: pino.DestinationStream): Logger {
  const options = {
    level: LEVELS.includes(fromEnv) ? fromEnv : 'info',
    base: { service: 'reconnect', pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: errorForLog, error: (value: unknown) => (value instanceof Error ? errorForLog(value) : value) },
  };
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false }));
}

export const logger: Logger = createLogger();

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug';

/** Routes Nest's own logging (and `new Logger(context)` in our code) into the same JSON lines. */
export class NestPinoLogger implements LoggerService {
  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** Nest passes the logger's context last; `logger.warn({ fields }, 'text')` gives fields and text. */
  private write(level: Level, message: unknown, params: unknown[]): void {
    const context = params.length && typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    if (typeof message === 'object' && message !== null && !(message instanceof Error)) {
      logger[level]({ context, ...(message as Record<string, unknown>) }, typeof params[0] === 'string' ? params[0] : '');
    } else if (message instanceof Error) {
      logger[level]({ context, err: message }, message.name);
    } else {
      logger[level]({ context }, String(message));
    }
  }
}
