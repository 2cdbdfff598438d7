import { Readable } from 'node:stream';
import { applyDecorators, createParamDecorator, StreamableFile, type ExecutionContext, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';
import type { Request } from 'express';

/** The forms a report or a list answers in: JSON, or CSV for a spreadsheet. */
export const REPORT_FORMATS = ['json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** `?format=` wins; otherwise the Accept header decides, and JSON is the default (also for any type). */
export function negotiateFormat(request: Request): ReportFormat {
  const format = request.query['format'];
  if (format === 'csv' || format === 'json') return format;
  return request.accepts(['application/json', 'text/csv']) === 'text/csv' ? 'csv' : 'json';
}

/** The format the caller asked for (the query DTO validates `format` itself). */
export const ResponseFormat = createParamDecorator((_: unknown, context: ExecutionContext): ReportFormat =>
  negotiateFormat(context.switchToHttp().getRequest<Request>()),
);

/**
 * The 200 response of a report or list: the DTO's schema as application/json, and its flat table as text/csv.
 * (`type` would give text/csv the JSON schema too, so the content is spelled out.)
 */
export function ApiReportResponse(dto: Type<unknown>, csv: { columns: string[]; description: string }): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(dto),
    ApiOkResponse({
      description: `JSON by default; CSV with \`Accept: text/csv\` or \`?format=csv\`. ${csv.description} Text cells beginning with =, +, -, @, tab or CR get a leading apostrophe.`,
      content: {
        'application/json': { schema: { $ref: getSchemaPath(dto) } },
        'text/csv': { schema: { type: 'string', example: `${csv.columns.join(',')}\r\n` } },
      },
    }),
  );
}

/**
 * A CSV sent as it is produced: the lines are pulled only as fast as the client reads them, so a list of
 * any length never sits in memory, and a client that goes away stops the reading.
 */
export function csvAttachment(filename: string, lines: AsyncIterable<string>): StreamableFile {
  return new StreamableFile(Readable.from(lines), {
    type: 'text/csv; charset=utf-8; header=present',
    disposition: `attachment; filename="${filename}"`,
  });
}
