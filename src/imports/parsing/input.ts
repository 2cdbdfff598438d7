import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import yauzl from 'yauzl';
import { ImportFileError } from './file-error.js';

export type InputFormat = 'zip' | 'json' | 'csv';

/** One readable file: the upload itself, or a member of a zip. Each open() reads it from the start. */
export interface InputFile {
  name: string;
  /** Bytes, uncompressed. */
  size: number;
  open(): Promise<Readable>;
}

/** Tells a zip from JSON from CSV by the first bytes, whatever the file is called. */
export async function sniffFormat(path: string): Promise<InputFormat> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64), 0, 64, 0);
    const head = buffer.subarray(0, bytesRead);
    if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'zip';
    // UTF-16 text (with its byte-order mark) is told apart by its first character too.
    const encoding = head[0] === 0xff && head[1] === 0xfe ? 'utf16le' : head[0] === 0xfe && head[1] === 0xff ? 'utf16be' : 'utf8';
    const text =
      encoding === 'utf16be'
        ? Buffer.from(head.subarray(0, bytesRead & ~1))
            .swap16()
            .toString('utf16le')
        : head.toString(encoding === 'utf8' ? 'utf8' : 'utf16le');
    const first = text.replace(/^\uFEFF/, '').trimStart()[0];
    return first === '{' || first === '[' ? 'json' : 'csv';
  } finally {
    await handle.close();
  }
}

export async function plainFile(path: string, name: string): Promise<InputFile> {
  const { size } = await stat(path);
  return { name, size, open: () => Promise.resolve(createReadStream(path, { highWaterMark: 256 * 1024 })) };
}

/** The members of a zip, by their base name in lower case (OneRoster zips sometimes nest a folder). */
export class ZipArchive {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly entries: Map<string, yauzl.Entry>,
  ) {}

  static async open(path: string): Promise<ZipArchive> {
    const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, file) => (error ? reject(error) : resolve(file))),
    ).catch((error: Error) => {
      throw new ImportFileError(`The file is not a readable zip: ${error.message}`);
    });
    const entries = new Map<string, yauzl.Entry>();
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.endsWith('/') && !entry.fileName.startsWith('__MACOSX/')) {
          entries.set(posix.basename(entry.fileName).toLowerCase(), entry);
        }
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', (error: Error) => reject(new ImportFileError(`The zip is damaged: ${error.message}`)));
      zip.readEntry();
    });
    return new ZipArchive(zip, entries);
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  file(name: string): InputFile | null {
    const entry = this.entries.get(name);
    if (!entry) return null;
    return {
      name,
      size: entry.uncompressedSize,
      open: () =>
        new Promise<Readable>((resolve, reject) =>
          this.zip.openReadStream(entry, (error, stream) => {
            if (error) return reject(new ImportFileError(`${name} in the zip cannot be read: ${error.message}`));
            // A damaged member fails mid-read; say so as a file problem, not a crash.
            const out = new PassThrough();
            stream.on('error', (e: Error) => out.destroy(new ImportFileError(`${name} in the zip is damaged: ${e.message}`)));
            resolve(stream.pipe(out));
          }),
        ),
    };
  }

  close(): void {
    this.zip.close();
  }
}
