/** One of our fields and the column names that may carry it in the files districts export. */
export interface FieldSpec {
  field: string;
  /** Other names for the column (any case, spacing or punctuation); the field name itself always matches. */
  aliases?: string[];
  required?: boolean;
}

export interface HeaderSpec {
  fields: FieldSpec[];
  /** Groups of fields of which at least one column must be present (e.g. imei, iccid or phone). */
  anyOf?: string[][];
  /** Columns a vendor export carries that this kind knowingly leaves unused. */
  ignored?: string[];
  /** Extension columns a format allows (OneRoster's `metadata.*` and vendors' `ext_*`). */
  extension?: RegExp;
}

export interface HeaderProblem {
  field: string;
  message: string;
}

/** A column the import leaves unused, and why: listed on the import, never a reason to refuse it. */
export interface HeaderWarning {
  column: string;
  message: string;
}

export interface HeaderMapping {
  /** For each column of the file, the field it carries, or null when it is not used. */
  fields: (string | null)[];
  /** Columns present but not used, as the file names them. */
  ignored: string[];
  warnings: HeaderWarning[];
}

/** "Serial Number", "serial_number", "serialNumber" and "Sérial Number" are one column. */
export function normalizeHeader(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Optimal string alignment distance: edits, with a swap of two neighbours as one ("Serail"). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j += 1) d[0][j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The column of the file, among those not used, nearest to one of the names a field accepts, if it is
 * near enough to be a typo or a variant of one (at most 40% of the name edited).
 */
export function nearestColumn(names: string[], columns: string[]): string | null {
  let best: { column: string; distance: number } | null = null;
  for (const column of columns) {
    const c = normalizeHeader(column);
    if (!c) continue;
    for (const name of names) {
      const n = normalizeHeader(name);
      const distance = editDistance(c, n);
      if (distance <= Math.max(1, Math.floor(Math.max(c.length, n.length) * 0.4)) && (!best || distance < best.distance)) {
        best = { column, distance };
      }
    }
  }
  return best?.column ?? null;
}

const didYouMean = (column: string | null): string => (column === null ? '' : `; did you mean "${column}"?`);

export function mapHeader(header: string[], spec: HeaderSpec): { mapping: HeaderMapping } | { problems: HeaderProblem[] } {
  const byName = new Map<string, string>();
  for (const f of spec.fields) {
    for (const name of [f.field, ...(f.aliases ?? [])]) byName.set(normalizeHeader(name), f.field);
  }
  const ignoredNames = new Set((spec.ignored ?? []).map(normalizeHeader));
  const fields: (string | null)[] = [];
  const ignored: string[] = [];
  const warnings: HeaderWarning[] = [];
  const seen = new Map<string, string>();
  const problems: HeaderProblem[] = [];
  for (const raw of header) {
    const name = raw.replace(/^\uFEFF/, '').trim();
    const field = byName.get(normalizeHeader(name));
    if (field) {
      const earlier = seen.get(field);
      if (earlier !== undefined) {
        problems.push({ field: name, message: `duplicate column: "${earlier}" already gives ${field}` });
      }
      seen.set(field, name);
      fields.push(field);
      continue;
    }
    fields.push(null);
    if (name === '') continue;
    ignored.push(name);
    const message = ignoredNames.has(normalizeHeader(name))
      ? 'not used by this import'
      : spec.extension?.test(name)
        ? 'extension column, ignored'
        : 'unknown column, ignored';
    warnings.push({ column: name, message });
  }
  for (const f of spec.fields.filter((f) => f.required && !seen.has(f.field))) {
    const names = [f.field, ...(f.aliases ?? [])];
    const accepted = names.map((a) => `"${a}"`).join(', ');
    problems.push({ field: f.field, message: `missing column (accepted names: ${accepted})${didYouMean(nearestColumn(names, ignored))}` });
  }
  for (const group of spec.anyOf ?? []) {
    if (!group.some((field) => seen.has(field))) {
      const names = spec.fields.filter((f) => group.includes(f.field)).flatMap((f) => [f.field, ...(f.aliases ?? [])]);
      problems.push({
        field: group[0],
        message: `needs at least one of the columns ${group.join(', ')}${didYouMean(nearestColumn(names, ignored))}`,
      });
    }
  }
  if (problems.length) return { problems };
  return { mapping: { fields, ignored, warnings } };
}

/** A one-line account of header problems, for the import's error summary and the refusal of an upload. */
export function describeHeaderProblems(problems: HeaderProblem[], part: string | null): string {
  const pieces = problems.map((p) => {
    if (p.message.startsWith('missing column')) {
      const guess = /did you mean "(.*)"\?$/.exec(p.message)?.[1];
      return `missing ${p.field}${guess === undefined ? '' : ` (did you mean "${guess}"?)`}`;
    }
    return p.message.startsWith('needs') ? p.message : `${p.field}: ${p.message}`;
  });
  return `The header${part ? ` of ${part}` : ''} does not match: ${pieces.join('; ')}.`;
}
