import { inflateSync } from 'node:zlib';

/**
 * The text of each page of a PDF pdfkit wrote with its standard fonts: every content stream is inflated
 * (FlateDecode) and the hex strings of its TJ operators are decoded (Windows-1252, read as Latin-1 for
 * the letters tests use). pdfkit writes one content stream per page, in page order.
 */
export function pdfPages(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const pages: string[] = [];
  for (const match of raw.matchAll(/stream\r?\n/g)) {
    const start = match.index + match[0].length;
    const end = raw.indexOf('endstream', start);
    const bytes = pdf.subarray(start, end);
    let content: string;
    try {
      content = inflateSync(bytes).toString('latin1');
    } catch {
      continue;
    }
    const lines = [...content.matchAll(/\[(.*?)\]\s*TJ/gs)].map((tj) =>
      [...tj[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((hex) => Buffer.from(hex[1]!, 'hex').toString('latin1')).join(''),
    );
    if (lines.length) pages.push(lines.join('\n'));
  }
  return pages;
}

/** The number of pages the PDF's page tree holds. */
export function pdfPageCount(pdf: Buffer): number {
  return [...pdf.toString('latin1').matchAll(/\/Type \/Page\b(?!s)/g)].length;
}
