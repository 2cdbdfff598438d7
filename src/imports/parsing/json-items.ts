import { pipeline } from 'node:stream/promises';
import { PassThrough, Readable } from 'node:stream';
import { parser } from 'stream-json';
import { pick } from 'stream-json/filters/pick.js';
import { streamValues } from 'stream-json/streamers/stream-values.js';
import { decodedText } from './encoding.js';
import { ImportFileError } from './file-error.js';

export interface JsonItem {
  /** The 1-based position of the item among all items of the file. */
  line: number;
  value: unknown;
}

/**
 * The elements of every `key` array in a Google API response file, one at a time: a single page
 * (`{ "key": [...] }`), pages written one after another, or a JSON array of pages. Only one element is
 * ever assembled in memory. The text may be in any encoding decodedText reads.
 */
export async function* jsonItems(input: Readable, key: string): AsyncGenerator<JsonItem> {
  const isItem = (stack: (string | number | null)[]): boolean => {
    const n = stack.length;
    return (n === 2 || (n === 3 && typeof stack[0] === 'number')) && stack[n - 2] === key && typeof stack[n - 1] === 'number';
  };
  const items = new PassThrough({ objectMode: true });
  // Set by the listener: `as` keeps TypeScript from narrowing it to null.
  let decodeError = null as ImportFileError | null;
  const text = Readable.from(decodedText(input as AsyncIterable<Buffer>));
  text.on('error', (error) => {
    if (error instanceof ImportFileError) decodeError = error;
  });
  const done = pipeline(
    text,
    parser.asStream({ jsonStreaming: true }),
    pick.asStream({ filter: isItem }),
    streamValues.asStream(),
    items,
  ).catch((error: unknown) => {
    items.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  let line = 0;
  try {
    for await (const item of items as AsyncIterable<{ value: unknown }>) {
      line += 1;
      yield { line, value: item.value };
    }
  } catch (error) {
    if (decodeError) throw decodeError;
    throw new ImportFileError(`The file is not valid JSON after item ${line}: ${(error as Error).message}`);
  } finally {
    items.destroy();
    await done;
  }
  if (line === 0) {
    throw new ImportFileError(`The file holds no "${key}" array: expected Google API responses with "${key}": [...].`);
  }
}
