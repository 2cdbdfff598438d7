import { describe, expect, it } from '@jest/globals';
import { Batch, batchRowsFor, MIN_BATCH_ROWS } from './import-batch.js';

describe('batch size', () => {
  const maxRows = 20_000;
  const concurrency = 2;

  it('fills batches up to the configured size in a large file', () => {
    // 10,000 records in the first 1 MB of a 100 MB file: about a million records.
    expect(batchRowsFor({ maxRows, concurrency, partBytes: 100_000_000, recordsRead: 10_000, bytesRead: 1_000_000 })).toBe(maxRows);
  });

  it('cuts a small file into as many batches as are applied at once', () => {
    // 8,000 records expected (800 in the first 10% of the file): two batches of 4,000.
    expect(batchRowsFor({ maxRows, concurrency, partBytes: 1_000_000, recordsRead: 800, bytesRead: 100_000 })).toBe(4_000);
    // An odd count rounds up, so that no third batch of one record follows.
    expect(batchRowsFor({ maxRows, concurrency, partBytes: 1_000_000, recordsRead: 8_001, bytesRead: 1_000_000 })).toBe(4_001);
  });

  it('cuts it into as many batches as IMPORT_APPLY_CONCURRENCY applies at once', () => {
    expect(batchRowsFor({ maxRows, concurrency: 1, partBytes: 1_000_000, recordsRead: 800, bytesRead: 100_000 })).toBe(8_000);
    expect(batchRowsFor({ maxRows, concurrency: 4, partBytes: 1_000_000, recordsRead: 800, bytesRead: 100_000 })).toBe(2_000);
  });

  it('never makes batches smaller than the minimum, however small the file', () => {
    expect(batchRowsFor({ maxRows, concurrency, partBytes: 10_000, recordsRead: 100, bytesRead: 10_000 })).toBe(MIN_BATCH_ROWS);
    // Before a byte is counted, the records read stand for the whole file.
    expect(batchRowsFor({ maxRows, concurrency, partBytes: 10_000, recordsRead: 0, bytesRead: 0 })).toBe(MIN_BATCH_ROWS);
  });

  it('keeps a configured size below the minimum as the cap', () => {
    expect(batchRowsFor({ maxRows: 500, concurrency, partBytes: 100_000_000, recordsRead: 10, bytesRead: 100 })).toBe(500);
  });
});

describe('batch', () => {
  it('counts staged rows, row errors by line, skipped records, keys and its last line', () => {
    const batch = new Batch();
    batch.add(2, { row: ['a', 1], key: 'st-1' });
    batch.add(3, {
      errors: [
        { field: 'email', message: 'bad' },
        { field: 'grade', message: 'bad' },
      ],
      key: 'st-2',
    });
    batch.add(4, { skip: true });
    batch.add(5, { row: ['b', null] });
    batch.add(6, { errors: [{ field: null, message: 'has 9 fields' }] });
    expect({
      size: batch.size,
      staged: batch.staged,
      errorLines: batch.errorLines,
      skipped: batch.skipped,
      lastLine: batch.lastLine,
    }).toEqual({
      size: 5,
      staged: 2,
      errorLines: 2,
      skipped: 1,
      lastLine: 6,
    });
    expect(batch.keys).toEqual(['st-1', 'st-2']);
    expect(batch.rows.text().join('')).toBe('2\ta\t1\n5\tb\t\\N\n');
    expect(batch.errors.text().join('')).toBe('3\temail\tbad\n3\tgrade\tbad\n6\t\\N\thas 9 fields\n');
  });
});
