import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { csvRecords, MAX_RECORD_CHARS } from './csv-records.js';

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

  it('reads files that end lines with CR alone, and keeps stray quotes as written', async () => {
    expect(await records('a,b\r1,"x\ry"\r\r2,3')).toEqual([
      [1, ['a', 'b']],
      [2, ['1', 'x\ry']],
      [5, ['2', '3']],
    ]);
    expect(await records('a,b\nsay "hi",x\n"quoted"tail,y\n')).toEqual([
      [1, ['a', 'b']],
      [2, ['say "hi"', 'x']],
      [3, ['"quoted"tail', 'y']],
    ]);
  });

  it('splits records with and without quotes alike when a chunk holds many of them', async () => {
    const text = 'a,b,c\r\n1,,3\r\n4,"5,x",6\r\n7,8,9\r\n,"",\r\nsay "hi",y,z\r\n10,11,12';
    const out: [number, string[]][] = [];
    for await (const r of csvRecords(Readable.from([Buffer.from(text, 'utf8')]))) out.push([r.line, r.cells]);
    expect(out).toEqual([
      [1, ['a', 'b', 'c']],
      [2, ['1', '', '3']],
      [3, ['4', '5,x', '6']],
      [4, ['7', '8', '9']],
      [6, ['say "hi"', 'y', 'z']],
      [7, ['10', '11', '12']],
    ]);
  });

  it('reports a broken file', async () => {
    await expect(records('a,b\n1,"open\n2,3\n')).rejects.toThrow(/not valid CSV at line 2/);
  });

  it('refuses a record too long to be one, instead of reading the file into memory', async () => {
    const chunks = ['a,b\n1,"', ...Array.from({ length: 20 }, () => 'x'.repeat(MAX_RECORD_CHARS / 16))].map((c) => Buffer.from(c));
    const read = async (): Promise<void> => {
      for await (const record of csvRecords(Readable.from(chunks))) expect(record.line).toBe(1);
    };
    await expect(read()).rejects.toThrow(/not valid CSV at line 2: a record longer than/);
  });
});
