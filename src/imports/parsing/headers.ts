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
  /**
   * Vendor exports (Snipe-IT custom fields, carrier portals) carry columns no list can foresee: their
   * unknown columns are reported as ignored. Specified formats (OneRoster) refuse them instead.
   */
  allowUnknown: boolean;
  /** Extension columns a format allows (OneRoster's `metadata.*`), ignored without comment. */
  extension?: RegExp;
}

export interface HeaderProblem {
  field: string;
  message: string;
}

export interface HeaderMapping {
  /** For each column of the file, the field it carries, or null when it is not used. */
  fields: (string | null)[];
  /** Columns present but not used, as the file names them. */
  ignored: string[];
}

/** "Serial Number", "serial_number" and "serialNumber" are one column. */
export function normalizeHeader(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

export function mapHeader(header: string[], spec: HeaderSpec): { mapping: HeaderMapping } | { problems: HeaderProblem[] } {
  const byName = new Map<string, string>();
  for (const f of spec.fields) {
    for (const name of [f.field, ...(f.aliases ?? [])]) byName.set(normalizeHeader(name), f.field);
  }
  const ignoredNames = new Set((spec.ignored ?? []).map(normalizeHeader));
  const fields: (string | null)[] = [];
  const ignored: string[] = [];
  const unknown: string[] = [];
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
    if (name === '' || ignoredNames.has(normalizeHeader(name)) || spec.extension?.test(name)) continue;
    (spec.allowUnknown ? ignored : unknown).push(name);
  }
  const missing = spec.fields.filter((f) => f.required && !seen.has(f.field));
  for (const f of missing) {
    const accepted = [f.field, ...(f.aliases ?? [])].map((a) => `"${a}"`).join(', ');
    problems.push({ field: f.field, message: `missing column (accepted names: ${accepted})` });
  }
  for (const group of spec.anyOf ?? []) {
    if (!group.some((field) => seen.has(field))) {
      problems.push({ field: group[0], message: `needs at least one of the columns ${group.join(', ')}` });
    }
  }
  // With a column missing, the unknown ones are likely what it was meant to be: name them too.
  const unknownProblems = spec.allowUnknown ? (problems.length ? ignored : []) : unknown;
  problems.push(...unknownProblems.map((name) => ({ field: name, message: 'unknown column' })));
  if (problems.length) return { problems };
  return { mapping: { fields, ignored } };
}

/** A one-line account of header problems, for the import's error summary. */
export function describeHeaderProblems(problems: HeaderProblem[], part: string | null): string {
  const missing = problems.filter((p) => p.message.startsWith('missing') || p.message.startsWith('needs')).map((p) => p.field);
  const unknown = problems.filter((p) => p.message === 'unknown column').map((p) => p.field);
  const other = problems.filter((p) => !missing.includes(p.field) && !unknown.includes(p.field)).map((p) => `${p.field}: ${p.message}`);
  const pieces = [
    missing.length ? `missing ${missing.join(', ')}` : '',
    unknown.length ? `unknown ${unknown.join(', ')}` : '',
    ...other,
  ].filter(Boolean);
  return `The header${part ? ` of ${part}` : ''} does not match: ${pieces.join('; ')}.`;
}
