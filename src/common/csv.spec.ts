import { describe, expect, it } from '@jest/globals';
import { csvCell, toCsv } from './csv.js';

describe('csvCell', () => {
  it('leaves plain values alone and writes null as an empty cell', () => {
    expect(csvCell('Lincoln High')).toBe('Lincoln High');
    expect(csvCell(12)).toBe('12');
    expect(csvCell(4.5)).toBe('4.5');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell('')).toBe('');
  });

  it('quotes commas, quotes and line breaks, doubling inner quotes', () => {
    expect(csvCell('Hartford, CT')).toBe('"Hartford, CT"');
    expect(csvCell('the "new" one')).toBe('"the ""new"" one"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
  });

  it('neutralises text that a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('+1+2')).toBe("'+1+2");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    // Only the first character matters, and numbers are not text.
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell(-1)).toBe('-1');
  });

  it('neutralises formulas behind leading spaces or line breaks and in full-width form', () => {
    expect(csvCell(' =1+1')).toBe("' =1+1");
    expect(csvCell('  @SUM(A1)')).toBe("'  @SUM(A1)");
    expect(csvCell('\n=1')).toBe(`"'\n=1"`);
    expect(csvCell('\n plain')).toBe(`"'\n plain"`);
    expect(csvCell('\uFF1D1+1')).toBe("'\uFF1D1+1");
    expect(csvCell('\uFF0B1')).toBe("'\uFF0B1");
    expect(csvCell('\uFF0D1')).toBe("'\uFF0D1");
    expect(csvCell('\uFF20A1')).toBe("'\uFF20A1");
    expect(csvCell('\u3000\uFF1D1')).toBe("'\u3000\uFF1D1");
    // A space before plain text is still plain text.
    expect(csvCell(' Lincoln')).toBe(' Lincoln');
  });
});

describe('toCsv', () => {
  it('writes a header and CRLF-terminated records', () => {
    expect(
      toCsv({
        columns: ['a', 'b'],
        rows: [
          [1, 'x,y'],
          [null, '=1'],
        ],
      }),
    ).toBe(`a,b\r\n1,"x,y"\r\n,'=1\r\n`);
  });

  it('writes only the header for an empty table', () => {
    expect(toCsv({ columns: ['a'], rows: [] })).toBe('a\r\n');
  });
});
