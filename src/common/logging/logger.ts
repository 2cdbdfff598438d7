import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'];
const fromEnv = process.env['LOG_LEVEL'] ?? 'info';

/** JSON lines on stdout. Never log request bodies or query strings: they can hold student data. */
export const logger: Logger = pino({
  level: LEVELS.includes(fromEnv) ? fromEnv : 'info',
  base: { service: 'reconnect', pid: process.pid },
  timestamp: pino.stdTimeFunctions.isoTime,
});

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
      logger[level]({ context, err: message }, message.message);
    } else {
      logger[level]({ context }, String(message));
    }
  }
}
