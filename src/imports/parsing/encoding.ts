import { isAscii, isUtf8 } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import iconv from 'iconv-lite';
import { ImportFileError } from './file-error.js';

/** The text encodings an import file may be in. */
export type TextEncoding = 'UTF-8' | 'UTF-16LE' | 'UTF-16BE' | 'Windows-1252';

/** Bytes Windows-1252 leaves undefined: iconv-lite would turn them into U+FFFD. */
const UNDEFINED_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

const hex = (bytes: Uint8Array): string => [...bytes].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');

/** The bytes near `at`, for a message that says what was found. */
function around(bytes: Buffer, at: number): string {
  const from = Math.max(0, at - 12);
  const shown = bytes.subarray(from, Math.min(bytes.length, at + 12));
  const text = [...shown].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '?')).join('');
  return `bytes ${hex(bytes.subarray(at, at + 4))} in "${text}"`;
}

/** How many bytes at the end of `bytes` start a UTF-8 character the next chunk completes. */
function incompleteUtf8Tail(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back += 1) {
    const b = bytes[bytes.length - back];
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/** The first byte that is not valid UTF-8 (the start of a bad sequence), or -1. Called on failures only. */
function firstInvalidUtf8(bytes: Buffer): number {
  let lo = 0;
  let hi = bytes.length;
  // The longest valid prefix, found by halving: isUtf8 is native and fast.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const prefix = bytes.subarray(0, mid);
    if (isUtf8(prefix.subarray(0, mid - incompleteUtf8Tail(prefix)))) lo = mid;
    else hi = mid - 1;
  }
  return lo < bytes.length ? lo - incompleteUtf8Tail(bytes.subarray(0, lo)) : -1;
}

/**
 * Whether bytes that are not UTF-8 read as Windows-1252 text: no byte it leaves undefined, no UTF-8
 * character among them (a file that mixes both would be read wrong either way), and high
 * bytes mostly alone between ASCII (accented letters in names), not in the long runs of multi-byte
 * encodings (Shift-JIS, GBK) that would read as a string of symbols.
 */
function plausible1252(bytes: Buffer): { ok: true } | { ok: false; why: string } {
  let high = 0;
  let inRuns = 0;
  let run = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    const b = bytes[i];
    // "Ã©" and its like: a UTF-8 character, which text typed in Windows-1252 hardly ever holds.
    if (b >= 0xc2 && b <= 0xf4 && (bytes[i + 1] & 0xc0) === 0x80 && isUtf8(bytes.subarray(i, i + (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2)))) {
      return { ok: false, why: `it also holds UTF-8 characters (${around(bytes, i)}): it mixes encodings` };
    }
    if (b >= 0x80) {
      if (UNDEFINED_1252.has(b)) return { ok: false, why: `byte ${hex(bytes.subarray(i, i + 1))} is no Windows-1252 character` };
      high += 1;
      run += 1;
      if (run === 3) inRuns += 3;
      else if (run > 3) inRuns += 1;
    } else {
      run = 0;
    }
  }
  if (high >= 8 && inRuns * 2 > high)
    return { ok: false, why: 'most of its non-ASCII bytes come in runs, as in a multi-byte encoding, not accented letters' };
  return { ok: true };
}

function undecidable(found: string): ImportFileError {
  return new ImportFileError(
    `The file's text encoding cannot be decided: ${found}. Save it as UTF-8 (or UTF-16 with a byte-order mark) and import it again.`,
  );
}

/**
 * Decodes a file's bytes to text as they stream, in bounded memory. A byte-order mark decides
 * (UTF-8, UTF-16 LE or BE); without one, the text stays ASCII (which reads the same in every
 * candidate) until the first other byte, and the bytes from there decide: valid UTF-8 is UTF-8,
 * otherwise Windows-1252 (which covers Latin-1's letters) when they read as such, otherwise the file
 * is refused naming what was found. A byte the chosen encoding cannot read later in the file stops the
 * import: nothing is ever stored as U+FFFD that was not in the file.
 */
export async function* decodedText(input: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  // Set by the closures below: `as` keeps TypeScript from narrowing them to their first value.
  let encoding = null as TextEncoding | null;
  /** Bytes read before the current chunk. */
  let offset = 0;
  /** The first bytes, until there are enough to look for a byte-order mark. */
  let head: Buffer | null = Buffer.alloc(0);
  /** Undecided: the start of a character that is not ASCII, cut off by the end of the last chunk. */
  let pending = Buffer.alloc(0);
  let utf8 = null as StringDecoder | null;
  let utf8Carry = Buffer.alloc(0);
  let other = null as iconv.DecoderStream | null;
  let highHalf = '';

  /** UTF-8 chunk by chunk: each chunk is checked (with the tail of the one before) before it is decoded. */
  const decodeUtf8 = (chunk: Buffer, final: boolean): string => {
    const bytes = utf8Carry.length ? Buffer.concat([utf8Carry, chunk]) : chunk;
    const start = offset - utf8Carry.length;
    const tail = final ? 0 : incompleteUtf8Tail(bytes);
    const whole = bytes.subarray(0, bytes.length - tail);
    if (!isUtf8(whole)) {
      const at = Math.max(0, firstInvalidUtf8(whole));
      throw new ImportFileError(
        `The file is not valid UTF-8 at byte ${start + at} (${around(whole, at)}), although it began as UTF-8: it mixes encodings. ` +
          'Save it again as UTF-8.',
      );
    }
    utf8Carry = Buffer.from(bytes.subarray(bytes.length - tail));
    return utf8!.write(whole);
  };

  /** Chooses the encoding from `sample`, which starts with the first byte that is not ASCII. */
  const choose = (sample: Buffer, at: number, final: boolean): void => {
    const tail = final ? 0 : incompleteUtf8Tail(sample);
    if (isUtf8(sample.subarray(0, sample.length - tail))) {
      encoding = 'UTF-8';
      utf8 = new StringDecoder('utf8');
      return;
    }
    const verdict = plausible1252(sample);
    if (!verdict.ok) {
      const bad = Math.max(0, firstInvalidUtf8(sample));
      throw undecidable(
        `there is no byte-order mark; byte ${at + bad} starts ${around(sample, bad)}, which is not UTF-8, ` +
          `and the file does not read as Windows-1252 either (${verdict.why})`,
      );
    }
    encoding = 'Windows-1252';
    other = iconv.getDecoder('windows1252');
  };

  const decode = (chunk: Buffer, final: boolean): string => {
    if (encoding === 'UTF-8') return decodeUtf8(chunk, final);
    if (encoding) {
      let text = highHalf + other!.write(chunk);
      highHalf = '';
      // The first half of a UTF-16 pair whose second half is in the next chunk waits for it.
      const last = text.charCodeAt(text.length - 1);
      if (!final && last >= 0xd800 && last <= 0xdbff) {
        highHalf = text.slice(-1);
        text = text.slice(0, -1);
      }
      checkDecoded(text, encoding, offset);
      return text;
    }
    const bytes = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    const start = offset - pending.length;
    pending = Buffer.alloc(0);
    const nul = bytes.indexOf(0);
    if (nul >= 0) {
      throw undecidable(`byte ${start + nul} is a NUL (${around(bytes, nul)}): UTF-16 without a byte-order mark, or not a text file`);
    }
    // Still ASCII: it reads the same whatever the encoding turns out to be.
    if (isAscii(bytes)) return bytes.toString('latin1');
    let first = 0;
    while (bytes[first] < 0x80) first += 1;
    const sample = bytes.subarray(first);
    if (!final && incompleteUtf8Tail(sample) === sample.length) {
      // Only the start of a character so far: the next chunk decides.
      pending = Buffer.from(sample);
      return bytes.subarray(0, first).toString('latin1');
    }
    choose(sample, start + first, final);
    return decode(bytes, final);
  };

  /** A byte-order mark decides the encoding; the mark itself is not text. */
  const startWith = (bytes: Buffer): Buffer => {
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      encoding = 'UTF-8';
      utf8 = new StringDecoder('utf8');
      offset = 3;
      return bytes.subarray(3);
    }
    const le = bytes[0] === 0xff && bytes[1] === 0xfe;
    if (le || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
      encoding = le ? 'UTF-16LE' : 'UTF-16BE';
      other = iconv.getDecoder(le ? 'utf16le' : 'utf16be', { stripBOM: false });
      offset = 2;
      return bytes.subarray(2);
    }
    return bytes;
  };

  for await (const piece of input) {
    let bytes = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
    if (head) {
      // The byte-order mark may straddle tiny first chunks.
      head = Buffer.concat([head, bytes]);
      if (head.length < 3) continue;
      bytes = startWith(head);
      head = null;
    }
    const text = decode(bytes, false);
    offset += bytes.length;
    if (text) yield text;
  }
  const rest = head ? startWith(head) : Buffer.alloc(0);
  let text = decode(rest, true);
  offset += rest.length;
  if (encoding === 'UTF-8') text += utf8!.end();
  else if (other) {
    const end = highHalf + (other.end() ?? '');
    checkDecoded(end, encoding!, offset);
    text += end;
    if (encoding !== 'Windows-1252' && (offset - 2) % 2 === 1) {
      throw new ImportFileError(`The file ends in the middle of a ${encoding} character (an odd number of bytes): it is cut short.`);
    }
  }
  if (text) yield text;
}

/**
 * What iconv-lite made of the bytes holds no U+FFFD (Windows-1252 maps no byte to it) and no lone half
 * of a UTF-16 surrogate pair (which PostgreSQL would store as U+FFFD).
 */
function checkDecoded(text: string, encoding: TextEncoding, offset: number): void {
  const bad = encoding === 'Windows-1252' ? text.indexOf('\uFFFD') : loneSurrogate(text);
  if (bad < 0) return;
  throw new ImportFileError(
    `The file is not valid ${encoding} near byte ${offset}: "${text.slice(Math.max(0, bad - 20), bad).replace(/[\r\n]/g, ' ')}" is followed by ` +
      `${encoding === 'Windows-1252' ? 'a byte Windows-1252 leaves undefined' : 'half a surrogate pair'}. Save it again as UTF-8.`,
  );
}

/** A surrogate without its other half (a pair split across chunks is put together before the check). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function loneSurrogate(text: string): number {
  return text.search(LONE_SURROGATE);
}
