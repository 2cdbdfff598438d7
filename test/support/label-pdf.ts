import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

/**
 * Just enough of PDF to check the label sheets Reconnect writes (pdfkit's output): the pages in order,
 * the filled rectangles the codes are drawn with, and the text runs. A rasteriser of those rectangles
 * turns any area of a page into pixels for zxing to decode, as a scanner would read the printed label.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface TextRun {
  text: string;
  font: string;
  size: number;
  /** Left end of the baseline, from the page's top-left corner (as the rectangles). */
  x: number;
  baseline: number;
}

export interface PdfPage {
  width: number;
  height: number;
  rects: Rect[];
  texts: TextRun[];
}

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

function objects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const found = new Map<number, PdfObject>();
  const header = /(\d+) 0 obj\n/g;
  let match: RegExpExecArray | null;
  while ((match = header.exec(text))) {
    const start = match.index + match[0].length;
    const end = text.indexOf('\nendobj', start);
    const body = text.slice(start, end);
    const streamAt = body.indexOf('>>\nstream\n');
    if (streamAt < 0) {
      found.set(Number(match[1]), { dict: body, stream: null });
      continue;
    }
    const dict = body.slice(0, streamAt + 2);
    const length = Number(/\/Length (\d+)/.exec(dict)![1]);
    const dataStart = start + streamAt + '>>\nstream\n'.length;
    const raw = pdf.subarray(dataStart, dataStart + length);
    found.set(Number(match[1]), { dict, stream: dict.includes('/FlateDecode') ? inflateSync(raw) : raw });
    header.lastIndex = dataStart + length;
  }
  return found;
}

const ref = (dict: string, key: string): number => Number(new RegExp(`/${key} (\\d+) 0 R`).exec(dict)![1]);

function fontNames(objs: Map<number, PdfObject>, resources: string): Map<string, string> {
  const names = new Map<string, string>();
  const fonts = /\/Font <<([^>]*)>>/.exec(resources)?.[1] ?? '';
  for (const [, alias, id] of fonts.matchAll(/\/(\w+) (\d+) 0 R/g)) {
    names.set(alias!, /\/BaseFont \/([\w-]+)/.exec(objs.get(Number(id))!.dict)![1]!);
  }
  return names;
}

/** The content of a page as pdfkit writes it: one flip of the y axis, then rectangles in top-down coordinates and text blocks. */
function parseContent(content: string, pageHeight: number, fonts: Map<string, string>): { rects: Rect[]; texts: TextRun[] } {
  const rects: Rect[] = [];
  const texts: TextRun[] = [];
  for (const [, x, y, w, h] of content.matchAll(/^(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re$/gm)) {
    rects.push({ x: Number(x), y: Number(y), width: Number(w), height: Number(h) });
  }
  // Inside each text block pdfkit flips back, so Tm is in PDF's own bottom-up coordinates.
  for (const [, block] of content.matchAll(/^BT\n([\s\S]*?)\nET$/gm)) {
    const tm = /^1 0 0 1 (-?[\d.]+) (-?[\d.]+) Tm$/m.exec(block!)!;
    const tf = /^\/(\w+) ([\d.]+) Tf$/m.exec(block!)!;
    const hex = [...block!.matchAll(/<([0-9a-f]*)>/g)].map((m) => Buffer.from(m[1]!, 'hex').toString('latin1')).join('');
    texts.push({
      text: hex,
      font: fonts.get(tf[1]!) ?? tf[1]!,
      size: Number(tf[2]),
      x: Number(tm[1]),
      baseline: pageHeight - Number(tm[2]),
    });
  }
  return { rects, texts };
}

export function parsePdf(pdf: Buffer): PdfPage[] {
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error('not a PDF');
  if (!pdf.subarray(-7).toString('latin1').includes('%%EOF')) throw new Error('the PDF is cut short');
  const objs = objects(pdf);
  const catalog = [...objs.values()].find((o) => /\/Type \/Catalog/.test(o.dict))!;
  const pages = objs.get(ref(catalog.dict, 'Pages'))!;
  const kids = [.../\/Kids \[([^\]]*)\]/.exec(pages.dict)![1]!.matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));
  return kids.map((id) => {
    const page = objs.get(id)!.dict;
    const [, , width, height] = /\/MediaBox \[([^\]]*)\]/.exec(page)![1]!.trim().split(/\s+/).map(Number);
    const content = objs.get(ref(page, 'Contents'))!.stream!.toString('latin1');
    const fonts = fontNames(objs, objs.get(ref(page, 'Resources'))!.dict);
    return { width: width!, height: height!, ...parseContent(content, height!, fonts) };
  });
}

/** The rectangles inside an area of a page, black on white, at `scale` pixels per point (RGBA). */
export function rasterise(rects: Rect[], area: Rect, scale: number): { width: number; height: number; data: Uint8ClampedArray } {
  const width = Math.ceil(area.width * scale);
  const height = Math.ceil(area.height * scale);
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  for (const rect of rects) {
    // A pixel is black when its centre lies inside the rectangle.
    const x0 = Math.max(0, Math.round((rect.x - area.x) * scale));
    const x1 = Math.min(width, Math.round((rect.x + rect.width - area.x) * scale));
    const y0 = Math.max(0, Math.round((rect.y - area.y) * scale));
    const y1 = Math.min(height, Math.round((rect.y + rect.height - area.y) * scale));
    for (let y = y0; y < y1; y += 1) {
      for (let x = x0; x < x1; x += 1) {
        const at = (y * width + x) * 4;
        data[at] = data[at + 1] = data[at + 2] = 0;
      }
    }
  }
  return { width, height, data };
}

export function toPng(image: { width: number; height: number; data: Uint8ClampedArray }): Buffer {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return PNG.sync.write(png);
}

let prepared = false;

/** What zxing reads in an image: each symbol's format and text. */
export async function decode(
  image: { width: number; height: number; data: Uint8ClampedArray },
  tryHarder = true,
): Promise<{ format: string; text: string }[]> {
  if (!prepared) {
    // Node has no fetch of a file URL: hand zxing its WebAssembly binary directly.
    const wasm = readFileSync(join(process.cwd(), 'node_modules/zxing-wasm/dist/reader/zxing_reader.wasm'));
    prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer } });
    prepared = true;
  }
  const results = await readBarcodes(image as unknown as Parameters<typeof readBarcodes>[0], {
    formats: ['Code128', 'QRCode'],
    maxNumberOfSymbols: 4,
    tryHarder,
  });
  return results.filter((r) => r.isValid).map((r) => ({ format: r.format, text: r.text }));
}
