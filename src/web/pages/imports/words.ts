import type { Schemas } from '../../api/client';

export type ImportKind = Schemas['ImportSummaryDto']['kind'];
export type ImportStatus = Schemas['ImportSummaryDto']['status'];

/** The kinds a district can load, as a person would name the file, with what it is (README "Imports"). */
export const KINDS: { kind: ImportKind; label: string; hint: string }[] = [
  {
    kind: 'oneroster',
    label: 'Roster (OneRoster)',
    hint: 'A OneRoster 1.1 or 1.2 CSV zip from the student information system, or a lone users.csv or orgs.csv.',
  },
  { kind: 'student-attributes', label: 'Student attributes', hint: 'CSV with sourcedId, learningModel and homeInternet.' },
  { kind: 'devices', label: 'Devices', hint: 'CSV of devices: our field names or an asset system export such as Snipe-IT.' },
  {
    kind: 'chromeos-devices',
    label: 'Chromebooks from Google Admin',
    hint: 'Google Admin Directory API JSON, or the Chrome devices CSV export of the Admin console.',
  },
  { kind: 'hotspot-usage', label: 'Hotspot usage', hint: "A carrier portal's CSV of lines and data used." },
  { kind: 'login-events', label: 'Login activity', hint: 'Google Reports API login activity JSON, or a CSV of logins.' },
  {
    kind: 'shipment-manifest',
    label: 'Shipment manifest',
    hint: 'CSV of the serial numbers delivered, with funding source, delivery date and optionally a reference.',
  },
];

export const kindLabel = (kind: ImportKind): string => KINDS.find((k) => k.kind === kind)?.label ?? kind;

export const STATUS_LABELS: Record<ImportStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  needs_confirmation: 'Needs confirmation',
  completed: 'Completed',
  failed: 'Failed',
};

/** Still moving: the page polls it. */
export const isRunning = (status: ImportStatus): boolean => status === 'queued' || status === 'running';

/** The counters of `stats`, in words; a counter not listed here is shown by its own name. */
export const STAT_LABELS: Record<string, string> = {
  withdrawn: 'Students withdrawn',
  withdrawalsPending: 'Withdrawals awaiting confirmation',
  ticketsResolved: 'Tickets resolved (withdrawn students)',
  devicesCreated: 'Devices created',
  suggestions: 'Assignments suggested',
  retired: 'Devices retired',
  holdersAssigned: 'Holders assigned',
  holderSuggestions: 'Holders to check',
  notStudents: 'Logins of accounts that are not students',
  duplicates: 'Events already stored',
  manifestsCreated: 'Manifests created',
};

export const SUGGESTION_BASES: Record<Schemas['SuggestionDto']['basis'], string> = {
  annotated_user: 'Google Admin names this user',
  recent_user: "Google Admin's most recent user",
  holder_unmatched: 'The file names no student we know',
  holder_ambiguous: 'The file names several students',
};

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function formatWhen(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—';
}
