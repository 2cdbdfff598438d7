import { csvCell } from '../common/csv.js';
import type { ImportErrorDto } from './imports.dto.js';

/** The columns of an import's row errors as CSV: the JSON fields, `line` for CSV input and `item` for JSON. */
export const IMPORT_ERROR_COLUMNS = ['part', 'line', 'item', 'field', 'message'] as const;

/**
 * The row errors as RFC 4180 text, one page of the keyset list at a time, so a download holds no more
 * than a page in memory. Messages quote the file's own cells, so they are neutralised as every report's are.
 */
export async function* importErrorsCsv(pages: AsyncIterable<ImportErrorDto[]>): AsyncGenerator<string> {
  yield `${IMPORT_ERROR_COLUMNS.join(',')}\r\n`;
  for await (const rows of pages) {
    yield rows.map((row) => `${IMPORT_ERROR_COLUMNS.map((column) => csvCell(row[column])).join(',')}\r\n`).join('');
  }
}
