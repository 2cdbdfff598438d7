/** PostScript points: the PDF's unit. */
const INCH = 72;
const MM = 72 / 25.4;

/**
 * A label stock: the page, where the labels sit on it (the manufacturers' published geometry), the
 * margin kept clear inside each label (printers place a sheet within about a millimetre), and the
 * printer's dot, to which bar and module widths are rounded so that every bar prints the same width.
 */
export interface LabelTemplate {
  name: string;
  description: string;
  pageWidth: number;
  pageHeight: number;
  columns: number;
  rows: number;
  labelWidth: number;
  labelHeight: number;
  /** Page edge to the first label's edge. */
  left: number;
  top: number;
  /** Distance from one label's edge to the next one's (label plus gap). */
  pitchX: number;
  pitchY: number;
  /** Kept clear inside each label's edge. */
  padding: number;
  /** One printer dot, in points: 600 dpi for laser sheets, 203 dpi for thermal printers. */
  dot: number;
  /** The narrowest Code 128 bar, in dots, that scans reliably when printed on this stock. */
  minBarDots: number;
}

const LASER_DOT = INCH / 600;
const THERMAL_DOT = INCH / 203;

export const LABEL_TEMPLATES = {
  // Avery 5160 / 8160: US letter, 3 × 10 address labels of 2⅝" × 1".
  'avery-5160': {
    name: 'avery-5160',
    description: 'Avery 5160 (US letter, 30 labels of 2.625" × 1")',
    pageWidth: 8.5 * INCH,
    pageHeight: 11 * INCH,
    columns: 3,
    rows: 10,
    labelWidth: 2.625 * INCH,
    labelHeight: 1 * INCH,
    left: 0.1875 * INCH,
    top: 0.5 * INCH,
    pitchX: 2.75 * INCH,
    pitchY: 1 * INCH,
    padding: 0.08 * INCH,
    dot: LASER_DOT,
    minBarDots: 5,
  },
  // Avery 5163 / 8163: US letter, 2 × 5 shipping labels of 4" × 2".
  'avery-5163': {
    name: 'avery-5163',
    description: 'Avery 5163 (US letter, 10 labels of 4" × 2")',
    pageWidth: 8.5 * INCH,
    pageHeight: 11 * INCH,
    columns: 2,
    rows: 5,
    labelWidth: 4 * INCH,
    labelHeight: 2 * INCH,
    left: 0.15625 * INCH,
    top: 0.5 * INCH,
    pitchX: 4.1875 * INCH,
    pitchY: 2 * INCH,
    padding: 0.125 * INCH,
    dot: LASER_DOT,
    minBarDots: 5,
  },
  // Avery L7160: A4, 3 × 7 labels of 63.5 × 38.1 mm.
  l7160: {
    name: 'l7160',
    description: 'Avery L7160 (A4, 21 labels of 63.5 × 38.1 mm)',
    pageWidth: 210 * MM,
    pageHeight: 297 * MM,
    columns: 3,
    rows: 7,
    labelWidth: 63.5 * MM,
    labelHeight: 38.1 * MM,
    left: 7.21 * MM,
    top: 15.15 * MM,
    pitchX: 66.04 * MM,
    pitchY: 38.1 * MM,
    padding: 2.2 * MM,
    dot: LASER_DOT,
    minBarDots: 5,
  },
  // A roll in a thermal label printer: one 2.25" × 1.25" label per page.
  'thermal-2.25x1.25': {
    name: 'thermal-2.25x1.25',
    description: 'Thermal printer roll, one 2.25" × 1.25" label per page (203 dpi)',
    pageWidth: 2.25 * INCH,
    pageHeight: 1.25 * INCH,
    columns: 1,
    rows: 1,
    labelWidth: 2.25 * INCH,
    labelHeight: 1.25 * INCH,
    left: 0,
    top: 0,
    pitchX: 0,
    pitchY: 0,
    padding: 0.08 * INCH,
    dot: THERMAL_DOT,
    minBarDots: 2,
  },
} as const satisfies Record<string, LabelTemplate>;

export type LabelTemplateName = keyof typeof LABEL_TEMPLATES;
export const LABEL_TEMPLATE_NAMES = Object.keys(LABEL_TEMPLATES) as LabelTemplateName[];

export function labelsPerPage(template: LabelTemplate): number {
  return template.columns * template.rows;
}

/** The top-left corner of the label at a 0-based position of a page; positions run left to right, then down. */
export function labelOrigin(template: LabelTemplate, position: number): { x: number; y: number } {
  const column = position % template.columns;
  const row = Math.floor(position / template.columns);
  return { x: template.left + column * template.pitchX, y: template.top + row * template.pitchY };
}

/** Code 128 modules around the data: start, check and stop symbols, and the quiet zone of 10 modules each side. */
const CODE128_OVERHEAD_MODULES = 11 + 11 + 13 + 2 * 10;
/** Each character costs at most 11 modules (code set B holds all of printable ASCII). */
const CODE128_MODULES_PER_CHARACTER = 11;

/** The width the Code 128 band may use: the label less its clear margin. */
export function barcodeBandWidth(template: LabelTemplate): number {
  return template.labelWidth - 2 * template.padding;
}

/**
 * The longest asset tag whose Code 128 fits across the label at the narrowest bar that still scans,
 * whatever its characters: the rule the service checks before printing, so nothing is cut short.
 */
export function maxAssetTagLength(template: LabelTemplate): number {
  const modules = Math.floor(barcodeBandWidth(template) / (template.minBarDots * template.dot));
  return Math.floor((modules - CODE128_OVERHEAD_MODULES) / CODE128_MODULES_PER_CHARACTER);
}

/** What a label prints: the device's tag (encoded in both codes and written out) and its district. */
export interface LabelDevice {
  id: string;
  assetTag: string;
  districtName: string;
}

/** The short line under the tag when the request gives none. */
export const DEFAULT_LABEL_LINE = 'District property - do not remove';
export const MAX_LABEL_LINE_LENGTH = 60;

/**
 * Characters the PDF's built-in Helvetica can print (Windows-1252): Latin letters with their accents,
 * digits, punctuation. Anything else would print as something it is not.
 */
export const PRINTABLE_TEXT = /^[\x20-\x7e\xa0-\xff€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]*$/;
const NOT_PRINTABLE = /[^\x20-\x7e\xa0-\xff€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]/g;

/** A name from the database as the label can print it: an unprintable character becomes '?'. */
export function printableText(text: string): string {
  return text.replace(NOT_PRINTABLE, '?');
}

/** Asset tags the codes carry: printable ASCII (what a USB scanner types back), checked in SQL too. */
export const ASSET_TAG_PATTERN_SQL = '^[\\x20-\\x7e]+$';
