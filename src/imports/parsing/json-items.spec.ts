import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { jsonItems } from './json-items.js';

async function items(text: string, key = 'chromeosdevices'): Promise<unknown[]> {
  const out: unknown[] = [];
  // Small chunks, so values straddle chunk boundaries as they do in a large file.
  const chunks = text.match(/[\s\S]{1,7}/g) ?? [];
  for await (const item of jsonItems(Readable.from(chunks), key)) out.push([item.line, item.value]);
  return out;
}

describe('jsonItems', () => {
  it('reads one page, skipping a BOM and the page fields', async () => {
    const page =
      '\uFEFF{"kind":"admin#directory#chromeosdevices","chromeosdevices":[{"serialNumber":"A","recentUsers":[{"email":"x@d.org"}]},{"serialNumber":"B"}],"nextPageToken":"t"}';
    expect(await items(page)).toEqual([
      [1, { serialNumber: 'A', recentUsers: [{ email: 'x@d.org' }] }],
      [2, { serialNumber: 'B' }],
    ]);
  });

  it('reads pages written one after another, and an array of pages', async () => {
    expect(await items('{"chromeosdevices":[{"s":1}]}\n{"chromeosdevices":[{"s":2},{"s":3}]}')).toEqual([
      [1, { s: 1 }],
      [2, { s: 2 }],
      [3, { s: 3 }],
    ]);
    expect(await items('[{"chromeosdevices":[{"s":1}]},{"chromeosdevices":[{"s":2}],"other":{"chromeosdevices":[{"s":9}]}}]')).toEqual([
      [1, { s: 1 }],
      [2, { s: 2 }],
    ]);
  });

  it('reads Reports API items', async () => {
    expect(await items('{"kind":"admin#reports#activities","items":[{"id":{"time":"t"}}]}', 'items')).toEqual([[1, { id: { time: 't' } }]]);
  });

  it('rejects broken JSON and a file without the array', async () => {
    await expect(items('{"chromeosdevices":[{"s":1},{"s":')).rejects.toThrow(/not valid JSON/);
    await expect(items('{"devices":[{"s":1}]}')).rejects.toThrow(/holds no "chromeosdevices" array/);
    await expect(items('serialNumber,status\nA,ACTIVE\n')).rejects.toThrow(/not valid JSON/);
  });
});
