import { CopyBuffer } from '../database/bulk-stage.js';
import type { BatchCounts } from './import-totals.js';
import type { Mapped } from './parts/part.js';

/** Below this, a batch costs more in fixed work than running beside another saves. */
export const MIN_BATCH_ROWS = 2_000;

/**
 * The records a batch of this part takes. A file too small to fill `concurrency` batches (those applied
 * at once, IMPORT_APPLY_CONCURRENCY) is cut into that many, from its size and the bytes a record has
 * taken so far, so that it too is applied on every core given to imports; no batch is smaller than
 * MIN_BATCH_ROWS or larger than `maxRows`.
 */
export function batchRowsFor(input: {
  maxRows: number;
  concurrency: number;
  partBytes: number;
  recordsRead: number;
  bytesRead: number;
}): number {
  const expected = (input.partBytes * input.recordsRead) / Math.max(input.bytesRead, 1);
  return Math.min(input.maxRows, Math.max(MIN_BATCH_ROWS, Math.ceil(expected / input.concurrency)));
}

/** The records of one batch, mapped and encoded for COPY as they come; one transaction applies them. */
export class Batch implements BatchCounts {
  readonly rows = new CopyBuffer();
  readonly errors = new CopyBuffer();
  readonly keys: string[] = [];
  size = 0;
  errorLines = 0;
  skipped = 0;
  lastLine = 0;

  get staged(): number {
    return this.rows.count;
  }

  add(line: number, mapped: Mapped): void {
    this.size += 1;
    this.lastLine = line;
    if ('row' in mapped) {
      this.rows.add(line, mapped.row);
      if (mapped.key) this.keys.push(mapped.key);
    } else if ('errors' in mapped) {
      this.errorLines += 1;
      for (const e of mapped.errors) this.errors.add(line, [e.field, e.message]);
      if (mapped.key) this.keys.push(mapped.key);
    } else {
      this.skipped += 1;
    }
  }
}
