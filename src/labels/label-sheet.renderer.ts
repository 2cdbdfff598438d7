import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import bwipjs from 'bwip-js';
import PDFDocument from 'pdfkit';
import { barcodeBandWidth, labelOrigin, labelsPerPage, printableText, type LabelDevice, type LabelTemplate } from './labels.domain.js';

/** What one PDF prints besides the devices: the stock, where on the first sheet to begin, and the short line. */
export interface LabelSheetOptions {
  template: LabelTemplate;
  /** 0-based position of the first label on the first sheet (the ones before it are already used). */
  start: number;
  /** Printed under the tag; empty for none. */
  line: string;
}

/** Widest Code 128 bar module, in points: a short tag on a wide label stays a compact, readable barcode. */
const MAX_BAR_MODULE = 2;
/** Error correction M (15%) survives the scuffs of a device label without making the symbol denser. */
const QR_OPTIONS = 'eclevel=M';
const MIN_FONT_SIZE = 4;
/**
 * Longest stretch of drawing between two turns of the event loop. A label costs a few milliseconds
 * (bwip-js choosing the QR code's mask is most of it), so a sheet of thousands must let other
 * requests (a station's scans) in as it goes.
 */
const TURN_MS = 4;

type Doc = PDFKit.PDFDocument;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** `value` rounded down to whole printer dots. */
const toDots = (value: number, dot: number): number => Math.floor(value / dot + 1e-9) * dot;

function code128Widths(text: string): number[] {
  const [symbol] = bwipjs.raw('code128', text, {});
  if (!symbol || !('sbs' in symbol)) throw new Error('bwip-js gave no Code 128 bars');
  return symbol.sbs;
}

function qrModules(text: string): { modules: number[]; size: number } {
  const [symbol] = bwipjs.raw('qrcode', text, QR_OPTIONS);
  if (!symbol || !('pixs' in symbol)) throw new Error('bwip-js gave no QR modules');
  return { modules: symbol.pixs, size: symbol.pixx };
}

/** Code 128 across the box's width, centred, its quiet zone (10 modules each side) inside the box. */
function drawCode128(doc: Doc, template: LabelTemplate, text: string, box: Box): void {
  const widths = code128Widths(text);
  const modules = widths.reduce((sum, width) => sum + width, 0);
  const module = Math.min(toDots(box.width / (modules + 20), template.dot), toDots(MAX_BAR_MODULE, template.dot));
  let x = box.x + (box.width - modules * module) / 2;
  // sbs alternates bar, space, bar, ... starting with a bar.
  widths.forEach((width, i) => {
    if (i % 2 === 0) doc.rect(x, box.y, width * module, box.height);
    x += width * module;
  });
  doc.fill('black');
}

/** The QR code at the box's top-left corner, as large as the box's height allows; returns its side. */
function drawQr(doc: Doc, template: LabelTemplate, text: string, box: Box): number {
  const { modules, size } = qrModules(text);
  const module = toDots(Math.min(box.width, box.height) / size, template.dot);
  // One rectangle per run of dark modules in a row, all filled as one path so no seams show between them.
  for (let row = 0; row < size; row += 1) {
    let column = 0;
    while (column < size) {
      if (!modules[row * size + column]) {
        column += 1;
        continue;
      }
      const first = column;
      while (column < size && modules[row * size + column]) column += 1;
      doc.rect(box.x + first * module, box.y + row * module, (column - first) * module, module);
    }
  }
  doc.fill('black');
  return size * module;
}

/** `text` at the largest size up to `size` that fits `width`; below the smallest size it is cut short with an ellipsis. */
function fitText(doc: Doc, font: string, text: string, size: number, width: number): { text: string; size: number } {
  doc.font(font).fontSize(size);
  const natural = doc.widthOfString(text);
  if (natural <= width) return { text, size };
  const fitted = Math.max(MIN_FONT_SIZE, Math.floor(((size * width) / natural) * 10) / 10);
  doc.fontSize(fitted);
  let cut = text;
  while (cut.length > 1 && doc.widthOfString(cut.length < text.length ? `${cut}…` : cut) > width) cut = cut.slice(0, -1);
  return { text: cut.length < text.length ? `${cut}…` : cut, size: fitted };
}

/**
 * One label inside its clear margin: the QR code at the top left; beside it the district's name, the
 * asset tag in bold and the short line; a Code 128 band across the bottom. Both codes hold exactly the
 * asset tag, which is what the station's scanner types back.
 */
function drawLabel(doc: Doc, options: LabelSheetOptions, device: LabelDevice, position: number): void {
  const { template } = options;
  const origin = labelOrigin(template, position);
  const inner: Box = {
    x: origin.x + template.padding,
    y: origin.y + template.padding,
    width: barcodeBandWidth(template),
    height: template.labelHeight - 2 * template.padding,
  };
  const barHeight = Math.round(inner.height * 0.38);
  const gap = Math.max(3, inner.height * 0.06);
  const bandHeight = inner.height - barHeight - gap;
  drawCode128(doc, template, device.assetTag, { x: inner.x, y: inner.y + bandHeight + gap, width: inner.width, height: barHeight });
  const qrSide = drawQr(doc, template, device.assetTag, { x: inner.x, y: inner.y, width: inner.width / 2, height: bandHeight });

  // QR codes want a clear zone around them; 4 points is over 2 modules at every template's size.
  const textX = inner.x + qrSide + Math.max(4, bandHeight * 0.12);
  const textWidth = inner.x + inner.width - textX;
  const lines = [
    fitText(doc, 'Helvetica', printableText(device.districtName), bandHeight * 0.2, textWidth),
    fitText(doc, 'Helvetica-Bold', device.assetTag, bandHeight * 0.36, textWidth),
    ...(options.line ? [fitText(doc, 'Helvetica', options.line, bandHeight * 0.18, textWidth)] : []),
  ];
  const fonts = ['Helvetica', 'Helvetica-Bold', 'Helvetica'];
  // Line boxes are about 1.15 em (Helvetica's ascender and descender); the space left is spread between them.
  const used = lines.reduce((sum, line) => sum + line.size * 1.15, 0);
  const spacing = Math.max(0, (bandHeight - used) / Math.max(1, lines.length - 1));
  let y = inner.y;
  lines.forEach((line, i) => {
    doc.font(fonts[i]).fontSize(line.size).text(line.text, textX, y, { lineBreak: false });
    y += line.size * 1.15 + spacing;
  });
}

/**
 * The labels as a PDF, produced page of devices by page of devices as the reader asks for more bytes
 * (Readable.from pulls the generator only when the response wants data), so a selection of thousands
 * never sits in memory at once.
 */
export function renderLabelSheets(options: LabelSheetOptions, devices: AsyncIterable<LabelDevice[]>): Readable {
  return Readable.from(generate(options, devices), { objectMode: false });
}

async function* generate(options: LabelSheetOptions, devices: AsyncIterable<LabelDevice[]>): AsyncGenerator<Buffer> {
  const { template } = options;
  const doc = new PDFDocument({
    autoFirstPage: false,
    margin: 0,
    info: { Title: `Asset labels (${template.name})`, Creator: 'Reconnect' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.once('end', resolve);
    doc.once('error', reject);
  });
  const perPage = labelsPerPage(template);
  let position = options.start;
  let pageStarted = false;
  let turnStarted = performance.now();
  for await (const batch of devices) {
    for (const device of batch) {
      if (!pageStarted || position === perPage) {
        doc.addPage({ size: [template.pageWidth, template.pageHeight], margin: 0 });
        pageStarted = true;
        if (position === perPage) position = 0;
      }
      drawLabel(doc, options, device, position);
      position += 1;
      if (performance.now() - turnStarted >= TURN_MS) {
        await nextTurn();
        turnStarted = performance.now();
        if (chunks.length) yield Buffer.concat(chunks.splice(0));
      }
    }
  }
  // Devices checked before printing can all be gone by now; an empty sheet is still a valid PDF.
  if (!pageStarted) doc.addPage({ size: [template.pageWidth, template.pageHeight], margin: 0 });
  doc.end();
  await ended;
  if (chunks.length) yield Buffer.concat(chunks.splice(0));
}
