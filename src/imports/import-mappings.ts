import { Injectable } from '@nestjs/common';
import { ImportMappingsRepository, type ImportMappingRow } from './import-mappings.repository.js';
import { readHeader, type ImportKind, type ImportPlan } from './import-plan.js';
import { normalizeHeader, type HeaderSpec } from './parsing/headers.js';

/**
 * A header spec with a district's own names: each mapped field is read from the district's header
 * only, and no other field may claim that header.
 */
export function withMapping(spec: HeaderSpec, columns: Record<string, string>): HeaderSpec {
  const mapped = new Set(Object.values(columns).map(normalizeHeader));
  return {
    ...spec,
    fields: spec.fields.map((f) => {
      const header = columns[f.field];
      if (header !== undefined) return { ...f, aliases: [header] };
      return { ...f, aliases: (f.aliases ?? []).filter((alias) => !mapped.has(normalizeHeader(alias))) };
    }),
  };
}

/**
 * The mapping a file's header fits: every header it names is in the file. Of several, the one naming
 * the most columns, then the most recently changed.
 */
export function matchingMapping(mappings: readonly ImportMappingRow[], header: readonly string[]): ImportMappingRow | null {
  const present = new Set(header.map(normalizeHeader));
  let best: ImportMappingRow | null = null;
  for (const mapping of mappings) {
    const headers = Object.values(mapping.columns);
    if (!headers.every((h) => present.has(normalizeHeader(h)))) continue;
    if (!best || headers.length > Object.keys(best.columns).length) best = mapping;
  }
  return best;
}

/** Applies a district's saved column mappings to the parts of an import whose headers they fit. */
@Injectable()
export class ImportMappings {
  constructor(private readonly mappings: ImportMappingsRepository) {}

  /** The plan with its CSV parts' headers read through the district's matching mapping (OneRoster's format is fixed). */
  async apply(plan: ImportPlan, districtId: string, kind: ImportKind): Promise<void> {
    if (kind === 'oneroster') return;
    const saved = await this.mappings.forKind(districtId, kind);
    if (!saved.length) return;
    for (const planned of plan.parts) {
      if (planned.format !== 'csv') continue;
      const mapping = matchingMapping(saved, await readHeader(planned.input));
      if (mapping) planned.part = { ...planned.part, headers: withMapping(planned.part.headers, mapping.columns) };
    }
  }
}
