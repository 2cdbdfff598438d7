import type { Readable } from 'node:stream';
import { decodedText } from './encoding.js';
import { ImportFileError } from './file-error.js';

export interface CsvRecord {
  /** The 1-based line on which the record starts. */
  line: number;
  cells: string[];
}

/** A record may not grow past this: an unclosed quote would otherwise read the rest of the file into memory. */
export const MAX_RECORD_CHARS = 1 << 20;

interface Scanned {
  cells: string[];
  /** Where the next record starts. */
  end: number;
  /** Line breaks the record spans, its own included. */
  breaks: number;
}

/**
 * RFC 4180 CSV, parsed a chunk at a time (of text decoded by decodedText): LF, CRLF or CR line ends (the first line end
 * decides), quoted fields holding commas, quotes and line breaks, blank lines and records of blank
 * values skipped. A quote inside an unquoted field, or text after a closing quote, is kept as it is.
 * Records without a quote, nearly all of them, are split without looking at every character.
 */
class CsvParser {
  private buffer = '';
  /** The line the buffer starts on. */
  private line = 1;
  private started = false;
  /** '\n' (LF and CRLF) or '\r' (CR alone); null until the first line end is seen. */
  private newline: '\n' | '\r' | null = null;
  /** The first quote in the buffer at or after the record being scanned: -1 for none, -2 before the search. */
  private quoteAt = -2;

  push(text: string, final: boolean): CsvRecord[] {
    let buffer = this.buffer + text;
    if (!this.started && buffer.length) {
      this.started = true;
      if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
    }
    const records: CsvRecord[] = [];
    this.quoteAt = -2;
    let pos = 0;
    while (pos < buffer.length) {
      if (!this.newline && !this.detectNewline(buffer, pos, final)) break;
      const scanned = this.scan(buffer, pos, final);
      if (!scanned) break;
      const { cells } = scanned;
      if (cells.some((cell) => cell.trim() !== '')) records.push({ line: this.line, cells });
      this.line += scanned.breaks;
      pos = scanned.end;
    }
    this.buffer = buffer.slice(pos);
    if (this.buffer.length > MAX_RECORD_CHARS) {
      throw new ImportFileError(
        `The file is not valid CSV at line ${this.line}: a record longer than ${MAX_RECORD_CHARS} characters (is a quote left open?).`,
      );
    }
    if (final && this.buffer.length)
      throw new ImportFileError(`The file is not valid CSV at line ${this.line}: a quoted field is not closed.`);
    return records;
  }

  /** The first line end tells LF (or CRLF) files from old Mac files that end lines with CR alone. */
  private detectNewline(buffer: string, pos: number, final: boolean): boolean {
    const lf = buffer.indexOf('\n', pos);
    const cr = buffer.indexOf('\r', pos);
    if (cr >= 0 && (lf < 0 || cr < lf)) {
      if (cr + 1 === buffer.length && !final) return false;
      this.newline = buffer.charCodeAt(cr + 1) === 0x0a ? '\n' : '\r';
      return true;
    }
    if (lf < 0 && !final) return false;
    this.newline = '\n';
    return true;
  }

  /** One record from pos, or null when the buffer ends inside it (more input is needed). */
  private scan(buffer: string, pos: number, final: boolean): Scanned | null {
    const newline = this.newline!;
    let end = buffer.indexOf(newline, pos);
    if (end < 0 && !final) return null;
    if (end < 0) end = buffer.length;
    // Searched once for all the records before it, not to the buffer's end for each of them.
    if (this.quoteAt !== -1 && this.quoteAt < pos) this.quoteAt = buffer.indexOf('"', pos);
    if (this.quoteAt < 0 || this.quoteAt >= end) {
      // Cut straight from the buffer: no string of the whole line first.
      const last = newline === '\n' && end > pos && buffer.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
      const cells: string[] = [];
      let from = pos;
      for (let comma = buffer.indexOf(',', from); comma >= 0 && comma < last; comma = buffer.indexOf(',', from)) {
        cells.push(buffer.slice(from, comma));
        from = comma + 1;
      }
      cells.push(buffer.slice(from, last));
      return { cells, end: end + 1, breaks: 1 };
    }
    return this.scanQuoted(buffer, pos, final);
  }

  /** The character-by-character path, for records with a quote somewhere. */
  private scanQuoted(buffer: string, pos: number, final: boolean): Scanned | null {
    const newline = this.newline!;
    const cells: string[] = [];
    let breaks = 0;
    let i = pos;
    for (;;) {
      let cell = '';
      if (buffer.charCodeAt(i) === 0x22) {
        // A quoted field: up to the quote that is not doubled.
        let from = i + 1;
        for (;;) {
          const quote = buffer.indexOf('"', from);
          // Whether a quote closes the field depends on the character after it.
          if (quote < 0 || (quote + 1 >= buffer.length && !final)) return null;
          const piece = buffer.slice(from, quote);
          breaks += countBreaks(piece, newline);
          cell += piece;
          const next = buffer.charCodeAt(quote + 1);
          if (next === 0x22) {
            cell += '"';
            from = quote + 2;
            continue;
          }
          i = quote + 1;
          if (Number.isNaN(next) || next === 0x2c || this.isLineEnd(buffer, i)) break;
          // Text after the closing quote: kept as written, quotes included.
          cell = `"${cell}"`;
          break;
        }
      }
      // The unquoted field, or what follows a closing quote: up to a comma or the line end.
      const comma = buffer.indexOf(',', i);
      let lineEnd = buffer.indexOf(newline, i);
      if (lineEnd < 0) {
        if (!final) return null;
        lineEnd = buffer.length;
      }
      if (comma >= 0 && comma < lineEnd) {
        cells.push(cell + buffer.slice(i, comma));
        i = comma + 1;
        continue;
      }
      let last = buffer.slice(i, lineEnd);
      if (newline === '\n' && last.endsWith('\r')) last = last.slice(0, -1);
      cells.push(cell + last);
      return { cells, end: lineEnd + 1, breaks: breaks + 1 };
    }
  }

  private isLineEnd(buffer: string, i: number): boolean {
    const c = buffer.charCodeAt(i);
    if (this.newline === '\r') return c === 0x0d;
    // A CR that ends the buffer may be the first half of a CRLF: the caller waits for more input then.
    return c === 0x0a || (c === 0x0d && (i + 1 === buffer.length || buffer.charCodeAt(i + 1) === 0x0a));
  }
}

function countBreaks(text: string, newline: string): number {
  let n = 0;
  for (let i = text.indexOf(newline); i >= 0; i = text.indexOf(newline, i + 1)) n += 1;
  return n;
}

/**
 * The records of a CSV stream, the header first, with the line each starts on, one array per chunk
 * read, in whichever encoding the file is (see decodedText): a file of any size is read in constant memory, and millions of records cost no more than one
 * await per chunk.
 */
export async function* csvRecordChunks(input: Readable): AsyncGenerator<CsvRecord[]> {
  const parser = new CsvParser();
  for await (const text of decodedText(input as AsyncIterable<Buffer | string>)) {
    const records = parser.push(text, false);
    if (records.length) yield records;
  }
  const records = parser.push('', true);
  if (records.length) yield records;
}

/** The records of a CSV stream one by one (see csvRecordChunks). */
export async function* csvRecords(input: Readable): AsyncGenerator<CsvRecord> {
  for await (const records of csvRecordChunks(input)) yield* records;
}
