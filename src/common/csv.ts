/** A flat table, as every report's CSV form is. */
export interface CsvTable {
  columns: string[];
  rows: CsvCell[][];
}

export type CsvCell = string | number | boolean | null | undefined;

/**
 * Text a spreadsheet would run as a formula (=, +, -, @, or their full-width forms, which some spreadsheets
 * fold to ASCII), also behind leading spaces or line breaks that spreadsheets skip, or that starts with a
 * tab, carriage return or newline: such cells get a leading apostrophe, shown as plain text (OWASP CSV injection).
 */
const FORMULA_START = /^(?:[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r\n])/;

/** One cell: neutralised when it is text that could run, then quoted as RFC 4180 requires. */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  // Numbers and booleans are ours, never user text: -1 stays a number a spreadsheet can sum.
  const text = typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180: a header line, CRLF after every record. */
export function toCsv(table: CsvTable): string {
  return [table.columns, ...table.rows].map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}

/** A CSV produced page by page: the header line, then each page's lines as one piece. */
export async function* csvLines<T>(columns: string[], pages: AsyncIterable<T[]>, cells: (row: T) => CsvCell[]): AsyncGenerator<string> {
  yield `${columns.map(csvCell).join(',')}\r\n`;
  for await (const page of pages) {
    if (page.length) yield page.map((row) => `${cells(row).map(csvCell).join(',')}\r\n`).join('');
  }
}
