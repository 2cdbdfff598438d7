import { Transform, type Readable } from 'node:stream';
import { Batch, batchRowsFor } from './import-batch.js';
import type { PlannedPart } from './import-plan.js';
import { csvRecordChunks } from './parsing/csv-records.js';
import { ImportFileError } from './parsing/file-error.js';
import { describeHeaderProblems, mapHeader } from './parsing/headers.js';
import { jsonItems } from './parsing/json-items.js';
import type { FieldProblem, Fields } from './parts/part.js';

/** A record of the file: its fields by our names, or the problems that make it a row error. */
export type SourceRecord = { line: number; fields: Fields } | { line: number; problems: FieldProblem[] };

/** The records of one part, in chunks as the file is read, and how far into the file reading has got. */
export interface RecordSource {
  records: AsyncGenerator<SourceRecord[]>;
  bytesRead(): number;
  close(): void;
}

/** Opens a part of the file as records (CSV or JSON), counting the bytes read for the progress. */
export async function openRecords(planned: PlannedPart): Promise<RecordSource> {
  let bytesRead = 0;
  const source = await planned.input.open();
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytesRead += chunk.length;
      done(null, chunk);
    },
  });
  source.on('error', (error) => counted.destroy(error));
  source.pipe(counted);
  return {
    records: planned.format === 'csv' ? csvSource(counted, planned) : jsonSource(counted, planned),
    bytesRead: () => bytesRead,
    close: () => source.destroy(),
  };
}

async function* csvSource(input: Readable, planned: PlannedPart): AsyncGenerator<SourceRecord[]> {
  let width = 0;
  let used: [number, string][] | null = null;
  for await (const chunk of csvRecordChunks(input)) {
    const out: SourceRecord[] = [];
    for (const { line, cells } of chunk) {
      if (!used) {
        const result = mapHeader(cells, planned.part.headers);
        if ('problems' in result) throw new ImportFileError(describeHeaderProblems(result.problems, planned.part.name));
        width = result.mapping.fields.length;
        used = result.mapping.fields.flatMap((field, i): [number, string][] => (field ? [[i, field]] : []));
        continue;
      }
      if (cells.length > width && cells.slice(width).some((c) => c.trim() !== '')) {
        out.push({ line, problems: [{ field: null, message: `has ${cells.length} fields; the header has ${width}` }] });
        continue;
      }
      const fields: Fields = {};
      for (const [i, field] of used) {
        const value = cells[i]?.trim();
        if (value) fields[field] = value;
      }
      out.push({ line, fields });
    }
    if (out.length) yield out;
  }
}

async function* jsonSource(input: Readable, planned: PlannedPart): AsyncGenerator<SourceRecord[]> {
  const json = planned.part.json!;
  for await (const { line, value } of jsonItems(input, json.key)) {
    const fields = json.fields(value);
    yield [Array.isArray(fields) ? { line, problems: fields } : { line, fields }];
  }
}

/**
 * The part's records cut into batches sized as the file is read (batchRowsFor); lines up to
 * `skipThrough` (a resumed import's checkpoint) are left out. The pipeline and the dry run share it.
 */
export async function* batchesOf(
  planned: PlannedPart,
  source: RecordSource,
  size: { maxRows: number; concurrency: number },
  skipThrough = 0,
): AsyncGenerator<Batch> {
  let batch = new Batch();
  let read = 0;
  for await (const chunk of source.records) {
    read += chunk.length;
    const batchRows = batchRowsFor({ ...size, partBytes: planned.input.size, recordsRead: read, bytesRead: source.bytesRead() });
    for (const record of chunk) {
      if (record.line <= skipThrough) continue;
      batch.add(record.line, 'problems' in record ? { errors: record.problems } : planned.part.map(record.fields));
      if (batch.size >= batchRows) {
        yield batch;
        batch = new Batch();
      }
    }
  }
  if (batch.size) yield batch;
}
