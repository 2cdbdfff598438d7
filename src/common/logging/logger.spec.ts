import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { QueryFailedError } from 'typeorm';
import { createLogger, errorForLog } from './logger.js';

/** What PostgreSQL and TypeORM put on an error from an INSERT of a student with a NUL in the name. */
function studentInsertError(): QueryFailedError {
  const driverError = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
    severity: 'ERROR',
    code: '22021',
    detail: 'Key (email)=(ann.example@students.example.org) already exists.',
    routine: 'report_invalid_encoding',
    where: "unnamed portal parameter $4 = 'Ann\u0000e'",
  });
  return new QueryFailedError(
    'INSERT INTO students (given_name, email) VALUES ($1, $2)',
    ['Ann\u0000e', 'ann.example@students.example.org'],
    driverError,
  );
}

describe('errors in log lines', () => {
  it('keeps only the code and location of a database error: no SQL, parameters, message or detail', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const log = createLogger(sink);
    log.level = 'error';
    log.error({ requestId: 'r-1', err: studentInsertError() }, 'unhandled error');
    log.warn({ jobId: 'j-1', error: studentInsertError() }, 'job failed');
    expect(lines).toHaveLength(1);
    const line = lines.join('');
    expect(line).not.toMatch(/Ann|ann\.example|INSERT|given_name|0x00|parameter/);
    expect(JSON.parse(line)).toMatchObject({
      requestId: 'r-1',
      err: { type: 'QueryFailedError', code: '22021', routine: 'report_invalid_encoding' },
    });
  });

  it('keeps the message of our own errors', () => {
    expect(errorForLog(new Error('queue closed'))).toMatchObject({ type: 'Error', message: 'queue closed' });
    expect(errorForLog('text')).toEqual({ type: 'string' });
  });
});
