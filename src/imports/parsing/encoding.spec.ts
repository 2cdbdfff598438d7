import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import iconv from 'iconv-lite';
import { decodedText } from './encoding.js';

/** Decodes bytes fed in chunks of `size`, so that characters and marks straddle chunk boundaries. */
async function decode(bytes: Buffer, size = 3): Promise<string> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  let text = '';
  for await (const piece of decodedText(Readable.from(chunks))) text += piece;
  return text;
}

const NAMES = 'sourcedId,givenName\r\n1,José Peña\r\n2,Zoë\r\n3,Renée O\u2019Connor\r\n';

describe('decodedText', () => {
  it('reads UTF-8 with or without a BOM, whatever the chunks', async () => {
    for (const size of [1, 2, 3, 7, 1024]) {
      expect(await decode(Buffer.from(NAMES, 'utf8'), size)).toBe(NAMES);
      expect(await decode(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${NAMES}😀`, 'utf8')]), size)).toBe(`${NAMES}😀`);
    }
  });

  it('reads Windows-1252 (what Excel on Windows saves), curly quotes included', async () => {
    for (const size of [1, 5, 1024]) expect(await decode(iconv.encode(NAMES, 'windows1252'), size)).toBe(NAMES);
  });

  it('reads UTF-16 LE and BE by their byte-order mark, pairs across chunks included', async () => {
    const text = `${NAMES}Łukasz 😀\r\n`;
    for (const size of [1, 3, 1024]) {
      expect(await decode(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), size)).toBe(text);
      const be = Buffer.from(text, 'utf16le').swap16();
      expect(await decode(Buffer.concat([Buffer.from([0xfe, 0xff]), be]), size)).toBe(text);
    }
  });

  it('refuses what it cannot decide, naming what it found', async () => {
    await expect(decode(Buffer.from([0x61, 0x2c, 0x4a, 0x6f, 0x73, 0x81, 0x0a]))).rejects.toThrow(
      /encoding cannot be decided: .*byte 5 starts bytes 81 .*byte 81 is no Windows-1252 character/,
    );
    await expect(decode(Buffer.from('a\0b\0', 'latin1'))).rejects.toThrow(/NUL .*UTF-16 without a byte-order mark/);
    // UTF-8 and Windows-1252 in one file.
    await expect(decode(Buffer.concat([Buffer.from('Zoë ', 'utf8'), iconv.encode('Peña', 'windows1252')]), 1024)).rejects.toThrow(
      /mixes encodings/,
    );
  });

  it('stops at a byte the chosen encoding cannot read, rather than store U+FFFD', async () => {
    const utf8ThenNot = Buffer.concat([Buffer.from(`Zoë\n${'x'.repeat(100)}\n`, 'utf8'), Buffer.from([0xe9, 0x0a])]);
    await expect(decode(utf8ThenNot, 16)).rejects.toThrow(/not valid UTF-8 at byte 106 .*mixes encodings/);
    await expect(decode(Buffer.concat([iconv.encode(`José\n${'x'.repeat(20)}\n`, 'windows1252'), Buffer.from([0x8d])]), 8)).rejects.toThrow(
      /not valid Windows-1252/,
    );
    await expect(decode(Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x42]))).rejects.toThrow(/odd number of bytes/);
    await expect(decode(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('A\uD800B', 'utf16le')]))).rejects.toThrow(/surrogate/);
    // U+FFFD that is in the file is kept.
    expect(await decode(Buffer.from('a\uFFFDb', 'utf8'))).toBe('a\uFFFDb');
  });
});
