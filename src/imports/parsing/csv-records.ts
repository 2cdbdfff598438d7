import type { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { ImportFileError } from './file-error.js';

export interface CsvRecord {
  /** The 1-based line on which the record starts. */
  line: number;
  cells: string[];
}

const NEWLINES = /\r\n|\r|\n/g;

function newlinesIn(cells: string[]): { all: number; crlf: number } {
  let all = 0;
  let crlf = 0;
  for (const cell of cells) {
    if (!cell.includes('\n') && !cell.includes('\r')) continue;
    all += cell.match(NEWLINES)?.length ?? 0;
    crlf += cell.match(/\r\n/g)?.length ?? 0;
  }
  return { all, crlf };
}

/**
 * The records of a CSV stream, the header first, with the line each starts on. Handles a UTF-8 BOM,
 * CRLF or LF, quoted fields holding commas and line breaks, and blank lines anywhere. The parser is
 * pulled record by record, so a file of any size is read in constant memory.
 */
export async function* csvRecords(input: Readable): AsyncGenerator<CsvRecord> {
  const parser = input.pipe(
    parse({
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      info: true,
    }),
  );
  input.on('error', (error) => parser.destroy(error));
  // csv-parse counts a CRLF inside a quoted field as two lines; `extra` undoes that.
  let extra = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { all, crlf } = newlinesIn(record);
      extra += crlf;
      yield { line: info.lines - extra - all, cells: record };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new ImportFileError(`The file is not valid CSV${line ? ` at line ${line}` : ''}: ${error.message}`);
    }
    throw error;
  }
}
