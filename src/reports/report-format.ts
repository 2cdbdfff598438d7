import { StreamableFile } from '@nestjs/common';
import { csvLines, toCsv, type CsvCell, type CsvTable } from '../common/csv.js';
import { csvAttachment } from '../common/http/response-format.js';

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

/** JSON goes out as it is; a CSV document (or stream) as an attachment with RFC 4180 text. */
export function asHttp<T>(result: T | CsvDocument | CsvStream): T | StreamableFile {
  if (result instanceof CsvStream)
    return csvAttachment(
      result.filename,
      csvLines(result.columns, result.batches, (row) => row),
    );
  if (!(result instanceof CsvDocument)) return result;
  return new StreamableFile(Buffer.from(toCsv(result.table), 'utf8'), {
    type: 'text/csv; charset=utf-8; header=present',
    disposition: `attachment; filename="${result.filename}"`,
  });
}
