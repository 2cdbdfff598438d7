import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { csvRecords } from './csv-records.js';

async function records(text: string): Promise<[number, string[]][]> {
  const out: [number, string[]][] = [];
  // Small chunks, so records and CRLFs straddle chunk boundaries as in a large file.
  const chunks = text.match(/[\s\S]{1,5}/g) ?? [];
  for await (const r of csvRecords(Readable.from(chunks.map((c) => Buffer.from(c, 'utf8'))))) out.push([r.line, r.cells]);
  return out;
}

describe('csvRecords', () => {
  it('gives each record the line it starts on, through BOM, CRLF, quoted breaks and blank lines', async () => {
    const crlf = '\uFEFFa,b\r\n"x\r\ny","1,2"\r\n\r\n3,"q ""z"""\r\n,\r\n"m\r\nn",4\r\n5,6\r\n\r\n\r\n';
    expect(await records(crlf)).toEqual([
      [1, ['a', 'b']],
      [2, ['x\r\ny', '1,2']],
      [5, ['3', 'q "z"']],
      [7, ['m\r\nn', '4']],
      [9, ['5', '6']],
    ]);
    const lf = 'a,b\n"m\nn\no",4\n\n5,6\n\n';
    expect(await records(lf)).toEqual([
      [1, ['a', 'b']],
      [2, ['m\nn\no', '4']],
      [6, ['5', '6']],
    ]);
  });

  it('reports a broken file', async () => {
    await expect(records('a,b\n1,"open\n2,3\n')).rejects.toThrow(/not valid CSV/);
  });
});
