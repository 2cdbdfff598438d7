import { perPage, type SheetGeometry } from './templates';

/**
 * The first sheet as it will print: positions already used (before the start position) greyed, then
 * each label laid out as the PDF lays it out (QR code top left, district, tag and line beside it, the
 * Code 128 band across the bottom). A drawing of the layout, not the codes: the PDF has the real ones.
 */
export function SheetPreview({
  template,
  startPosition,
  tags,
  more,
  districtName,
  line,
}: {
  template: SheetGeometry;
  startPosition: number;
  /** The tags of the first sheet's labels, in order; 'unknown' for a school or shipment, whose devices the API picks. */
  tags: (string | null)[] | 'unknown';
  /** Labels beyond the first sheet. */
  more: number;
  districtName: string;
  line: string;
}) {
  const slots = perPage(template);
  const used = Math.min(startPosition - 1, slots);
  const unknown = tags === 'unknown';
  const filled = unknown ? slots - used : Math.min(tags.length, slots - used);
  const sheet = template.rows > 1 ? 'sheet' : 'label';
  const positions = used ? `${used} ${used === 1 ? 'position' : 'positions'} already used, ` : '';
  const summary = unknown
    ? `Preview of the first ${sheet}: ${positions}labels from position ${startPosition} on, one for each device of the selection.`
    : `Preview of the first ${sheet}: ${positions}${filled} ${filled === 1 ? 'label' : 'labels'}` +
      (filled ? ` from position ${startPosition}` : '') +
      (more > 0 ? `; ${more} more on the following ${sheet}s` : '') +
      '.';
  const cells = Array.from({ length: slots }, (_, position) => {
    const column = position % template.columns;
    const row = Math.floor(position / template.columns);
    const x = template.left + column * template.pitchX;
    const y = template.top + row * template.pitchY;
    const index = position - used;
    const state = position < used ? 'used' : index < filled ? 'label' : 'empty';
    return { position, x, y, state, tag: state === 'label' && !unknown ? tags[index] : undefined };
  });
  return (
    <figure className="sheet-preview">
      <svg
        viewBox={`0 0 ${template.pageWidth} ${template.pageHeight}`}
        role="img"
        aria-label={summary}
        className={template.rows > 1 ? 'sheet' : 'single'}
      >
        <rect className="page" x={0} y={0} width={template.pageWidth} height={template.pageHeight} />
        {cells.map((cell) => (
          <g key={cell.position} transform={`translate(${cell.x} ${cell.y})`}>
            <rect className={`slot ${cell.state}`} width={template.labelWidth} height={template.labelHeight} rx={6} />
            {cell.state === 'used' && (
              <text
                className="used-text"
                x={template.labelWidth / 2}
                y={template.labelHeight / 2}
                textAnchor="middle"
                dominantBaseline="middle"
              >
                used
              </text>
            )}
            {cell.state === 'label' && <LabelLayout template={template} tag={cell.tag ?? null} districtName={districtName} line={line} />}
          </g>
        ))}
      </svg>
      <figcaption>{summary}</figcaption>
    </figure>
  );
}

/** One label's parts where the renderer puts them (src/labels/label-sheet.renderer.ts). */
function LabelLayout({
  template,
  tag,
  districtName,
  line,
}: {
  template: SheetGeometry;
  tag: string | null;
  districtName: string;
  line: string;
}) {
  const p = template.padding;
  const width = template.labelWidth - 2 * p;
  const height = template.labelHeight - 2 * p;
  const barHeight = Math.round(height * 0.38);
  const gap = Math.max(3, height * 0.06);
  const band = height - barHeight - gap;
  const qr = Math.min(width / 2, band);
  const textX = p + qr + Math.max(4, band * 0.12);
  const finder = qr * 0.28;
  const sizes = { district: band * 0.2, tag: band * 0.36, line: band * 0.18 };
  return (
    <g aria-hidden="true">
      <rect className="qr" x={p} y={p} width={qr} height={qr} />
      {[
        [p, p],
        [p + qr - finder, p],
        [p, p + qr - finder],
      ].map(([fx, fy], i) => (
        <rect key={i} className="finder" x={fx} y={fy} width={finder} height={finder} />
      ))}
      <text className="district" x={textX} y={p + sizes.district} fontSize={sizes.district}>
        {districtName}
      </text>
      <text className="tag" x={textX} y={p + sizes.district * 1.15 + sizes.tag} fontSize={sizes.tag}>
        {tag ?? 'asset tag'}
      </text>
      {line && (
        <text className="line" x={textX} y={p + band - sizes.line * 0.2} fontSize={sizes.line}>
          {line}
        </text>
      )}
      <rect className="barcode" x={p + width * 0.1} y={p + band + gap} width={width * 0.8} height={barHeight} />
    </g>
  );
}
