/**
 * The label stocks POST /api/v1/labels prints on, as the preview draws them: the same geometry as the
 * server's (src/labels/labels.domain.ts; test/web-label-templates.spec.ts fails when they drift), in
 * PostScript points. The console keeps its own copy so the preview needs no request and no server code.
 */
const INCH = 72;
const MM = 72 / 25.4;

export interface SheetGeometry {
  name: TemplateName;
  label: string;
  description: string;
  pageWidth: number;
  pageHeight: number;
  columns: number;
  rows: number;
  labelWidth: number;
  labelHeight: number;
  left: number;
  top: number;
  pitchX: number;
  pitchY: number;
  padding: number;
}

export const TEMPLATE_NAMES = ['avery-5160', 'avery-5163', 'l7160', 'thermal-2.25x1.25'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

export const TEMPLATES: Record<TemplateName, SheetGeometry> = {
  'avery-5160': {
    name: 'avery-5160',
    label: 'Avery 5160',
    description: 'US letter, 30 labels of 2⅝″ × 1″',
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
  },
  'avery-5163': {
    name: 'avery-5163',
    label: 'Avery 5163',
    description: 'US letter, 10 labels of 4″ × 2″',
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
  },
  l7160: {
    name: 'l7160',
    label: 'Avery L7160',
    description: 'A4, 21 labels of 63.5 × 38.1 mm',
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
  },
  'thermal-2.25x1.25': {
    name: 'thermal-2.25x1.25',
    label: 'Thermal printer',
    description: 'one 2.25″ × 1.25″ label per page',
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
  },
};

export const perPage = (t: SheetGeometry): number => t.columns * t.rows;

/** Sheets a print takes: the labels after the used positions of the first sheet (the API's own rule). */
export const sheetsFor = (t: SheetGeometry, labels: number, startPosition: number): number =>
  Math.ceil((labels + startPosition - 1) / perPage(t));

/** The short line the API prints under the tag when none is given. */
export const DEFAULT_LINE = 'District property - do not remove';
export const MAX_LINE_LENGTH = 60;
