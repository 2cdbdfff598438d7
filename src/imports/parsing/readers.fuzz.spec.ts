import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { csvRecords } from './csv-records.js';
import { ImportFileError } from './file-error.js';
import { ZipArchive } from './input.js';
import { jsonItems } from './json-items.js';

/** Seeded and bounded: the same inputs on every run, and a suite that stays fast. */
const RUNS = { seed: 18, numRuns: 150 };

/** The reader either reads the input or refuses it as a file problem (a 4xx with errors), never anything else. */
async function readsOrRefuses(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return true;
  } catch (error) {
    if (error instanceof ImportFileError) return true;
    throw error;
  }
}

async function drain<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Text cut into chunks at arbitrary places, as a large upload arrives. */
const chunked = (text: string, size: number): Readable =>
  Readable.from((text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? []).map((c) => Buffer.from(c, 'utf8')));

const csvText = fc
  .array(fc.oneof(fc.constantFrom(',', '"', '\r', '\n', '\r\n', '""', '\uFEFF', '\u0000', '＝', ' '), fc.string({ maxLength: 12 })), {
    maxLength: 60,
  })
  .map((parts) => parts.join(''));

const jsonText = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.jsonValue({ maxDepth: 3 }).map((items) => JSON.stringify({ chromeosdevices: [items, { serialNumber: 'A' }] })),
  fc
    .tuple(fc.json({ maxDepth: 3 }), fc.nat(), fc.string({ maxLength: 5 }))
    .map(([json, at, junk]) => json.slice(0, at % (json.length + 1)) + junk),
  fc.nat({ max: 5000 }).map((depth) => `{"chromeosdevices":[${'['.repeat(depth)}`),
);

describe('import readers under fuzzed input', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rct-fuzz-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('CSV: any text gives records (each with a line number) or a file error', async () => {
    await fc.assert(
      fc.asyncProperty(csvText, fc.integer({ min: 1, max: 9 }), async (text, size) => {
        await readsOrRefuses(async () => {
          const records = await drain(csvRecords(chunked(text, size)));
          for (const r of records) expect(r.line).toBeGreaterThanOrEqual(1);
        });
      }),
      RUNS,
    );
  });

  it('CSV: quoted cells come back as written, whatever they hold', async () => {
    // A record whose cells are all empty is a blank line, skipped by design.
    const row = fc.array(fc.string({ maxLength: 10 }), { minLength: 1, maxLength: 4 }).filter((cells) => cells.some((c) => c !== ''));
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 8 }), async (rows) => {
        const text = rows.map((cells) => cells.map((c) => `"${c.replaceAll('"', '""')}"`).join(',')).join('\r\n');
        const records = await drain(csvRecords(chunked(text, 3)));
        expect(records.map((r) => r.cells)).toEqual(rows);
      }),
      RUNS,
    );
  });

  it('JSON: any text gives items or a file error', async () => {
    await fc.assert(
      fc.asyncProperty(jsonText, fc.integer({ min: 1, max: 9 }), async (text, size) => {
        await readsOrRefuses(() => drain(jsonItems(chunked(text, size), 'chromeosdevices')));
      }),
      RUNS,
    );
  });

  it('JSON: pages give the elements of their arrays as JSON.parse reads them, and a page cut short is refused', async () => {
    const page = fc.record(
      { chromeosdevices: fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 4 }), other: fc.jsonValue({ maxDepth: 3 }) },
      { requiredKeys: [] },
    );
    const file = fc.tuple(fc.array(page, { minLength: 1, maxLength: 3 }), fc.constantFrom(0, 2), fc.constantFrom('\n', ' ', '', 'array'));
    await fc.assert(
      fc.asyncProperty(file, fc.integer({ min: 1, max: 9 }), fc.nat(), async ([pages, indent, between], size, cut) => {
        const text =
          between === 'array' ? JSON.stringify(pages, null, indent) : pages.map((p) => JSON.stringify(p, null, indent)).join(between);
        const expected = (JSON.parse(JSON.stringify(pages)) as { chromeosdevices?: unknown[] }[]).flatMap((p) => p.chromeosdevices ?? []);
        const read = drain(jsonItems(chunked(text, size), 'chromeosdevices'));
        if (expected.length) expect((await read).map((item) => item.value)).toEqual(expected);
        else await expect(read).rejects.toThrow(/holds no "chromeosdevices" array/);
        const first = between === 'array' ? text : JSON.stringify(pages[0], null, indent);
        await expect(drain(jsonItems(chunked(first.slice(0, cut % first.length), size), 'chromeosdevices'))).rejects.toThrow(
          ImportFileError,
        );
      }),
      RUNS,
    );
  });

  it('zip: random bytes, and a zip with bytes flipped or cut, open and read or are a file error', async () => {
    // A small valid zip: one stored member, written by hand (local header, data, central directory, end).
    const zipOf = (name: string, data: Buffer): Buffer => {
      const crcTable = Array.from({ length: 256 }, (_, n) => {
        let c = n;
        for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        return c >>> 0;
      });
      let crc = 0xffffffff;
      for (const byte of data) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
      crc = (crc ^ 0xffffffff) >>> 0;
      const file = Buffer.from(name);
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(data.length, 18);
      local.writeUInt32LE(data.length, 22);
      local.writeUInt16LE(file.length, 26);
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0);
      central.writeUInt16LE(20, 4);
      central.writeUInt16LE(20, 6);
      central.writeUInt32LE(crc, 16);
      central.writeUInt32LE(data.length, 20);
      central.writeUInt32LE(data.length, 24);
      central.writeUInt16LE(file.length, 28);
      const centralAt = local.length + file.length + data.length;
      const end = Buffer.alloc(22);
      end.writeUInt32LE(0x06054b50, 0);
      end.writeUInt16LE(1, 8);
      end.writeUInt16LE(1, 10);
      end.writeUInt32LE(central.length + file.length, 12);
      end.writeUInt32LE(centralAt, 16);
      return Buffer.concat([local, file, data, central, file, end]);
    };
    const valid = zipOf('users.csv', Buffer.from('sourcedId,givenName\n1,Ann\n'));
    let n = 0;
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(b)])),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }).map((flips) => {
        const copy = Buffer.from(valid);
        for (const [at, value] of flips) copy[at % copy.length] = value;
        return copy;
      }),
      fc.nat().map((at) => valid.subarray(0, at % valid.length)),
    );
    await fc.assert(
      fc.asyncProperty(bytes, async (content) => {
        const path = join(dir, `fuzz-${(n += 1)}.zip`);
        await writeFile(path, content);
        await readsOrRefuses(async () => {
          const zip = await ZipArchive.open(path, { maxExpandedBytes: 64 * 1024 * 1024, maxEntries: 100 });
          try {
            for (const name of zip.names()) {
              const file = zip.file(name);
              if (file) await drain(csvRecords(await file.open()));
            }
          } finally {
            zip.close();
          }
        });
      }),
      RUNS,
    );
  });
});
