/** How the pages write dates, amounts and the API's enum words for people. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** An instant in the reader's time zone; a dash for none. */
export function when(iso: string | Date | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

/** A calendar day (YYYY-MM-DD) as written, never shifted by a time zone. */
export function day(date: string | null | undefined): string {
  return date ? dateOnly.format(new Date(`${date}T00:00:00Z`)) : '—';
}

const WORDS: Record<string, string> = {
  in_person: 'In person',
  in_stock: 'In stock',
  in_repair: 'In repair',
  chromebook: 'Chromebook',
  hotspot: 'Hotspot',
  yes: 'Yes',
  no: 'No',
  unknown: 'Unknown',
};

/** An enum value in words: `in_repair` is "In repair". */
export function label(value: string | null | undefined): string {
  if (!value) return '—';
  return WORDS[value] ?? value.charAt(0).toUpperCase() + value.slice(1).replace(/_/g, ' ');
}

export function fullName(person: { givenName: string; familyName: string }): string {
  return `${person.givenName} ${person.familyName}`;
}

export function deviceName(device: { assetTag: string | null; serialNumber: string }): string {
  return device.assetTag ?? `Serial ${device.serialNumber}`;
}

/** The query string of the filters that are set, for an API list and its CSV. */
export function queryString(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value);
  return params.toString();
}

/** The option that equals `value`, typed as the options are; undefined for anything else. */
export const pick = <T extends string>(options: readonly T[], value: string | null | undefined): T | undefined =>
  options.find((option) => option === value);

/** A submitted form's text field, trimmed; undefined when absent or blank (a filter that is not set). */
export function formValue(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** The set with `item` added, or removed if it was there: a ticked box's selection. */
export function toggled<T>(set: ReadonlySet<T>, item: T): Set<T> {
  const next = new Set(set);
  if (next.has(item)) next.delete(item);
  else next.add(item);
  return next;
}
