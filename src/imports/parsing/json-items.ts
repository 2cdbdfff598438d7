import type { Readable } from 'node:stream';
import { decodedText } from './encoding.js';
import { ImportFileError } from './file-error.js';

export interface JsonItem {
  /** The 1-based position of the item among all items of the file. */
  line: number;
  value: unknown;
}

/**
 * The elements of every `key` array in a Google API response file, one at a time: a single page
 * (`{ "key": [...] }`), pages written one after another, or a JSON array of pages. The text may be in any
 * encoding decodedText reads; only the elements of one piece of it are held at a time.
 *
 * A scanner walks the text around the elements, checking its grammar, and finds where each element ends;
 * JSON.parse reads the element. Parsed token by token in JavaScript (stream-json before), the file took
 * most of a Chrome OS import's time: 10 of its 11 s for a district of 34,566 devices (bench/RESULTS.md).
 */
export async function* jsonItems(input: Readable, key: string): AsyncGenerator<JsonItem> {
  const scanner = new ItemScanner(key);
  for await (const text of decodedText(input as AsyncIterable<Buffer>)) {
    yield* scanner.feed(text);
  }
  scanner.end();
  if (scanner.count === 0) {
    throw new ImportFileError(`The file holds no "${key}" array: expected Google API responses with "${key}": [...].`);
  }
}

/** Character codes the scanner tells apart. */
const Ch = {
  Tab: 9,
  Lf: 10,
  Cr: 13,
  Space: 32,
  Quote: 34,
  Comma: 44,
  Colon: 58,
  OpenBracket: 91,
  Backslash: 92,
  CloseBracket: 93,
  OpenBrace: 123,
  CloseBrace: 125,
  Bom: 0xfeff,
} as const;

/** What may come next in the container being read (or at the top, between values). */
type Expect = 'value' | 'value-or-end' | 'key' | 'key-or-end' | 'colon' | 'comma-or-end';

interface Frame {
  array: boolean;
  expect: Expect;
  /** Of an object: the name of the member being read. */
  key: string | null;
  /** Of an array: whether its elements are the items. */
  items: boolean;
}

/** An item whose end has not been reached yet: where it starts and how far the scan got. */
interface OpenItem {
  start: number;
  at: number;
  depth: number;
  inString: boolean;
}

const LITERAL = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)$/;

const isSpace = (c: number): boolean => c === Ch.Space || c === Ch.Lf || c === Ch.Cr || c === Ch.Tab || c === Ch.Bom;
const endsLiteral = (c: number): boolean => isSpace(c) || c === Ch.Comma || c === Ch.CloseBracket || c === Ch.CloseBrace;

class ItemScanner {
  count = 0;
  /** Text not consumed yet; `offset` is the file's character position of its start. */
  private text = '';
  private offset = 0;
  private frames: Frame[] = [];
  private item: OpenItem | null = null;

  constructor(private readonly key: string) {}

  /** Scans a piece of text; returns the items it completed. */
  feed(piece: string): JsonItem[] {
    this.text += piece;
    const out: JsonItem[] = [];
    const rest = this.scan(out, false);
    this.offset += rest;
    this.text = this.text.slice(rest);
    if (this.item) {
      this.item.start -= rest;
      this.item.at -= rest;
    }
    return out;
  }

  /** The end of the file: anything left open is a file cut short. */
  end(): void {
    const rest = this.scan([], true);
    if (this.item || this.frames.length || rest < this.text.length) this.fail(this.text.length, 'the file ends inside a value');
  }

  /** Scans from the start of `text`; returns how much of it is consumed (the rest starts an unfinished token). */
  private scan(out: JsonItem[], atEnd: boolean): number {
    const text = this.text;
    let i = 0;
    if (this.item) {
      const end = this.itemEnd(this.item);
      if (end < 0) return this.item.start;
      out.push(this.parseItem(this.item.start, end));
      this.item = null;
      this.valueDone();
      i = end;
    }
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (isSpace(c)) {
        i += 1;
        continue;
      }
      const frame = this.frames.at(-1);
      // Between top-level values (pages one after another), any value may come.
      const expect = frame ? frame.expect : 'value';
      if (expect === 'comma-or-end') {
        if (c === Ch.Comma) frame!.expect = frame!.array ? 'value' : 'key';
        else if (c === (frame!.array ? Ch.CloseBracket : Ch.CloseBrace)) this.close();
        else this.fail(i, `expected "," or "${frame!.array ? ']' : '}'}"`);
        i += 1;
      } else if (expect === 'colon') {
        if (c !== Ch.Colon) this.fail(i, 'expected ":"');
        frame!.expect = 'value';
        i += 1;
      } else if (expect === 'key' || expect === 'key-or-end') {
        if (c === Ch.CloseBrace && expect === 'key-or-end') {
          this.close();
          i += 1;
          continue;
        }
        if (c !== Ch.Quote) this.fail(i, 'expected a member name');
        const end = stringEnd(text, i + 1);
        if (end < 0) return i;
        frame!.key = this.parseToken(i, end) as string;
        frame!.expect = 'colon';
        i = end;
      } else if (c === Ch.CloseBracket && expect === 'value-or-end') {
        this.close();
        i += 1;
      } else if (frame?.items) {
        const item: OpenItem = { start: i, at: i, depth: 0, inString: false };
        if (c !== Ch.OpenBrace && c !== Ch.OpenBracket) {
          // A string, number or literal as an element: its token is the item.
          const end = c === Ch.Quote ? stringEnd(text, i + 1) : literalEnd(text, i, atEnd);
          if (end < 0) return i;
          item.at = end;
        } else if (this.itemEnd(item) < 0) {
          this.item = item;
          return i;
        }
        out.push(this.parseItem(i, item.at));
        this.valueDone();
        i = item.at;
      } else if (c === Ch.OpenBrace || c === Ch.OpenBracket) {
        const array = c === Ch.OpenBracket;
        this.frames.push({ array, expect: array ? 'value-or-end' : 'key-or-end', key: null, items: array && this.holdsItems() });
        i += 1;
      } else {
        const end = c === Ch.Quote ? stringEnd(text, i + 1) : literalEnd(text, i, atEnd);
        if (end < 0) return i;
        this.parseToken(i, end);
        this.valueDone();
        i = end;
      }
    }
    return i;
  }

  /** Whether an array starting here holds the items: the `key` member of a page, at the top or in a top-level array. */
  private holdsItems(): boolean {
    const f = this.frames;
    const page = f.length === 1 ? f[0] : f.length === 2 && f[0].array ? f[1] : null;
    return page !== null && !page.array && page.key === this.key;
  }

  /** Scans an object or array item on from where it stopped; its end, or -1 when the text ends first. */
  private itemEnd(item: OpenItem): number {
    const text = this.text;
    let { at, depth, inString } = item;
    while (at < text.length) {
      const c = text.charCodeAt(at);
      if (inString) {
        if (c === Ch.Backslash) {
          if (at + 1 >= text.length) break;
          at += 2;
          continue;
        }
        if (c === Ch.Quote) inString = false;
      } else if (c === Ch.Quote) inString = true;
      else if (c === Ch.OpenBrace || c === Ch.OpenBracket) depth += 1;
      else if (c === Ch.CloseBrace || c === Ch.CloseBracket) {
        depth -= 1;
        if (depth === 0) {
          item.at = at + 1;
          return at + 1;
        }
      }
      at += 1;
    }
    Object.assign(item, { at, depth, inString });
    return -1;
  }

  private parseItem(start: number, end: number): JsonItem {
    const value = this.parseToken(start, end);
    this.count += 1;
    return { line: this.count, value };
  }

  private parseToken(start: number, end: number): unknown {
    const token = this.text.slice(start, end);
    if (!token) this.fail(start, `unexpected "${this.text[start]}"`);
    if (
      token.charCodeAt(0) !== Ch.Quote &&
      token.charCodeAt(0) !== Ch.OpenBrace &&
      token.charCodeAt(0) !== Ch.OpenBracket &&
      !LITERAL.test(token)
    ) {
      this.fail(start, `unexpected "${token.slice(0, 20)}"`);
    }
    try {
      return JSON.parse(token) as unknown;
    } catch (error) {
      return this.fail(start, (error as Error).message);
    }
  }

  private close(): void {
    this.frames.pop();
    this.valueDone();
  }

  private valueDone(): void {
    const frame = this.frames.at(-1);
    if (frame) frame.expect = 'comma-or-end';
  }

  private fail(at: number, reason: string): never {
    throw new ImportFileError(
      `The file is not valid JSON after item ${this.count} (character ${(this.offset + at + 1).toLocaleString('en-US')}): ${reason}.`,
    );
  }
}

/** The end of the string whose opening quote is before `from`, or -1 when the text ends first. */
function stringEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === Ch.Backslash) i += 1;
    else if (c === Ch.Quote) return i + 1;
  }
  return -1;
}

/** The end of a number or literal starting at `from`, or -1 when the text ends first (and may go on). */
function literalEnd(text: string, from: number, atEnd: boolean): number {
  for (let i = from; i < text.length; i += 1) {
    if (endsLiteral(text.charCodeAt(i))) return i;
  }
  return atEnd ? text.length : -1;
}
