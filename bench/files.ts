import { closeSync, createWriteStream, openSync, writeSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { ZipFile } from 'yazl';

/** Appends text to a file through a 1 MB buffer: millions of small lines without a stream per line. */
export class TextFile {
  private readonly fd: number;
  private pending = '';

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  write(text: string): void {
    this.pending += text;
    if (this.pending.length >= 1 << 20) this.flush();
  }

  line(text: string): void {
    this.write(`${text}\n`);
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.pending) writeSync(this.fd, this.pending);
    this.pending = '';
  }
}

/** One CSV cell: quoted only when it must be (RFC 4180). */
export function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const row = (...values: (string | number | null | undefined)[]): string => values.map(cell).join(',');

/** A zip of files already on disk, byte-for-byte the same for the same inputs (fixed timestamps). */
export async function zipFiles(target: string, files: { path: string; name: string }[], mtime: Date): Promise<void> {
  const zip = new ZipFile();
  for (const file of files) zip.addFile(file.path, file.name, { mtime, mode: 0o100644 });
  zip.end();
  await pipeline(zip.outputStream as Readable, createWriteStream(target));
}
