import { applyDecorators, createParamDecorator, type ExecutionContext, StreamableFile, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';
import type { Request } from 'express';
import { Readable } from 'node:stream';
import { csvCell, toCsv, type CsvCell, type CsvTable } from './csv.js';

export const REPORT_FORMATS = ['json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** A report rendered as a flat table; the controller sends it as text/csv. */
export class CsvDocument {
  constructor(
    readonly filename: string,
    readonly table: CsvTable,
  ) {}
}

/** A report too large to hold in memory: its rows arrive in batches while it is sent. */
export class CsvStream {
  constructor(
    readonly filename: string,
    readonly columns: string[],
    readonly batches: AsyncIterable<CsvCell[][]>,
  ) {}
}

async function* csvText(stream: CsvStream): AsyncGenerator<string> {
  yield `${stream.columns.map(csvCell).join(',')}\r\n`;
  for await (const rows of stream.batches) yield rows.map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}

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

/** JSON goes out as it is; a CSV document (or stream) as an attachment with RFC 4180 text. */
export function asHttp<T>(result: T | CsvDocument | CsvStream): T | StreamableFile {
  const options = (filename: string) => ({
    type: 'text/csv; charset=utf-8; header=present',
    disposition: `attachment; filename="${filename}"`,
  });
  if (result instanceof CsvStream) return new StreamableFile(Readable.from(csvText(result)), options(result.filename));
  if (!(result instanceof CsvDocument)) return result;
  return new StreamableFile(Buffer.from(toCsv(result.table), 'utf8'), options(result.filename));
}

/**
 * The 200 response of a report: the DTO's schema as application/json, and its flat table as text/csv.
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
