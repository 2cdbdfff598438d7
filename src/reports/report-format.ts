import { StreamableFile } from '@nestjs/common';
import { toCsv, type CsvTable } from '../common/csv.js';

/** A report rendered as a flat table; the controller sends it as text/csv. */
export class CsvDocument {
  constructor(
    readonly filename: string,
    readonly table: CsvTable,
  ) {}
}

/** JSON goes out as it is; a CSV document as an attachment with RFC 4180 text. */
export function asHttp<T>(result: T | CsvDocument): T | StreamableFile {
  if (!(result instanceof CsvDocument)) return result;
  return new StreamableFile(Buffer.from(toCsv(result.table), 'utf8'), {
    type: 'text/csv; charset=utf-8; header=present',
    disposition: `attachment; filename="${result.filename}"`,
  });
}
