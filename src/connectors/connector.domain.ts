import { createPrivateKey } from 'node:crypto';

export const CONNECTOR_KINDS = ['google-workspace', 'oneroster-rest'] as const;
export type ConnectorKind = (typeof CONNECTOR_KINDS)[number];

export const WRITE_BACK_MODES = ['off', 'dry_run', 'on'] as const;
export type WriteBackMode = (typeof WRITE_BACK_MODES)[number];

/** What a run syncs, and the import kind each stream feeds. */
export const STREAM_IMPORT_KIND = { devices: 'chromeos-devices', logins: 'login-events', roster: 'oneroster' } as const;
export type Stream = keyof typeof STREAM_IMPORT_KIND;
export const KIND_STREAMS: Record<ConnectorKind, readonly Stream[]> = {
  'google-workspace': ['devices', 'logins'],
  'oneroster-rest': ['roster'],
};

/**
 * Default schedules, in the district's time zone: Google hourly through the school day on weekdays
 * (logins and devices then feed the next gap scan), the roster nightly, after SIS batch jobs end.
 */
export const DEFAULT_SCHEDULES: Record<ConnectorKind, string> = {
  'google-workspace': '20 6-17 * * 1-5',
  'oneroster-rest': '30 2 * * *',
};

/** Public endpoints, used unless the settings name others (a proxy, or a test's fake server). */
export const GOOGLE_API_ROOT = 'https://admin.googleapis.com';

export const GOOGLE_SCOPES = {
  devicesRead: 'https://www.googleapis.com/auth/admin.directory.device.chromeos.readonly',
  auditRead: 'https://www.googleapis.com/auth/admin.reports.audit.readonly',
  devicesWrite: 'https://www.googleapis.com/auth/admin.directory.device.chromeos',
} as const;

/** The scopes a district delegates to the service account: device updates only with write-back on. */
export function googleScopes(writeBack: WriteBackMode): string[] {
  const scopes: string[] = [GOOGLE_SCOPES.devicesRead, GOOGLE_SCOPES.auditRead];
  if (writeBack === 'on') scopes.push(GOOGLE_SCOPES.devicesWrite);
  return scopes;
}

/** The fields of a Google service-account key file that Reconnect uses. */
export interface ServiceAccountKey {
  type: 'service_account';
  client_email: string;
  private_key: string;
  private_key_id: string;
  token_uri: string;
  client_id?: string;
  project_id?: string;
}

/** What may be shown of the key file: whose it is, never the private key. */
export interface ServiceAccountSummary {
  clientEmail: string;
  privateKeyId: string;
  tokenUri: string;
}

export interface GoogleSettings {
  serviceAccount: ServiceAccountSummary;
  adminEmail: string;
  apiRootUrl: string | null;
  writeBack: WriteBackMode;
  /** Whether retiring a Chromebook deprovisions it in Google (write-back on or dry_run only). */
  deprovisionOnRetire: boolean;
  schedule: string | null;
}
export interface GoogleSecrets {
  serviceAccountKey: ServiceAccountKey;
}
export interface OneRosterSettings {
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  schedule: string | null;
}
export interface OneRosterSecrets {
  clientSecret: string;
}

export type ConnectorSettings = GoogleSettings | OneRosterSettings;
export type ConnectorSecrets = GoogleSecrets | OneRosterSecrets;

export interface SettingProblem {
  field: string;
  message: string;
}

/** The settings as given: the non-secret part, and the secrets if the input replaces them. */
export interface ParsedSettings {
  settings: ConnectorSettings;
  secrets: ConnectorSecrets | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Five cron fields (minute hour day month weekday) of digits, ranges, lists, steps or `*`. */
const CRON = /^([\d*/,-]+\s+){4}[\d*/,-]+$/;

type Input = Record<string, unknown>;

function url(input: Input, field: string, problems: SettingProblem[], allowHttp: boolean, required: boolean): string | null {
  const value = input[field];
  if (value === undefined || value === null) {
    if (required) problems.push({ field: `settings.${field}`, message: 'is required' });
    return null;
  }
  if (typeof value !== 'string' || value.length > 2000) {
    problems.push({ field: `settings.${field}`, message: 'must be a URL' });
    return null;
  }
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    problems.push({ field: `settings.${field}`, message: 'must be a URL' });
    return null;
  }
  if (parsed.protocol !== 'https:' && !(allowHttp && parsed.protocol === 'http:')) {
    problems.push({ field: `settings.${field}`, message: 'must be an https:// URL' });
    return null;
  }
  return value.replace(/\/+$/, '');
}

function string(input: Input, field: string, problems: SettingProblem[], max: number, required = true): string | null {
  const value = input[field];
  if (value === undefined || value === null) {
    if (required) problems.push({ field: `settings.${field}`, message: 'is required' });
    return null;
  }
  if (typeof value !== 'string' || !value.trim() || value.length > max) {
    problems.push({ field: `settings.${field}`, message: `must be a non-empty string of at most ${max} characters` });
    return null;
  }
  return value.trim();
}

function schedule(input: Input, problems: SettingProblem[]): string | null {
  const value = input['schedule'];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !CRON.test(value.trim())) {
    problems.push({ field: 'settings.schedule', message: 'must be five cron fields (minute hour day month weekday)' });
    return null;
  }
  return value.trim();
}

function unknownFields(input: Input, known: readonly string[], problems: SettingProblem[]): void {
  for (const key of Object.keys(input)) {
    if (!known.includes(key)) problems.push({ field: `settings.${key}`, message: 'is not a setting of this kind of connector' });
  }
}

/**
 * A key file as the Google Cloud console issues it (JSON text or the parsed object): a service
 * account's, with an email, a PEM private key that node:crypto can read, its id and the token URI.
 */
export function serviceAccountKey(value: unknown, problems: SettingProblem[], allowHttp: boolean): ServiceAccountKey | null {
  const field = 'settings.serviceAccountKey';
  let key: unknown = value;
  if (typeof value === 'string') {
    try {
      key = JSON.parse(value);
    } catch {
      problems.push({ field, message: 'must be the JSON key file of a service account' });
      return null;
    }
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) {
    problems.push({ field, message: 'must be the JSON key file of a service account' });
    return null;
  }
  const k = key as Input;
  const before = problems.length;
  if (k['type'] !== 'service_account') problems.push({ field: `${field}.type`, message: 'must be "service_account"' });
  for (const name of ['client_email', 'private_key', 'private_key_id', 'token_uri']) {
    if (typeof k[name] !== 'string' || !k[name].trim()) problems.push({ field: `${field}.${name}`, message: 'is required' });
  }
  if (problems.length > before) return null;
  if (!EMAIL.test(k['client_email'] as string)) problems.push({ field: `${field}.client_email`, message: 'must be an email address' });
  try {
    createPrivateKey(k['private_key'] as string);
  } catch {
    problems.push({ field: `${field}.private_key`, message: 'must be a PEM private key' });
  }
  const tokenProblems: SettingProblem[] = [];
  url(k, 'token_uri', tokenProblems, allowHttp, true);
  if (tokenProblems.length) problems.push({ field: `${field}.token_uri`, message: tokenProblems[0].message });
  if (problems.length > before) return null;
  return {
    type: 'service_account',
    client_email: k['client_email'] as string,
    private_key: k['private_key'] as string,
    private_key_id: k['private_key_id'] as string,
    token_uri: k['token_uri'] as string,
    ...(typeof k['client_id'] === 'string' ? { client_id: k['client_id'] } : {}),
    ...(typeof k['project_id'] === 'string' ? { project_id: k['project_id'] } : {}),
  };
}

/**
 * Checks a connector's settings. `current` is what is stored (a PATCH merges into it; its secrets need
 * not be given again). `allowHttp` admits http:// endpoints (tests' fake servers on localhost).
 */
export function parseSettings(
  kind: ConnectorKind,
  input: Input,
  current: ConnectorSettings | null,
  allowHttp: boolean,
): { parsed: ParsedSettings } | { problems: SettingProblem[] } {
  const problems: SettingProblem[] = [];
  const merged: Input = { ...(current ?? {}), ...input };
  if (kind === 'google-workspace') {
    unknownFields(input, ['serviceAccountKey', 'adminEmail', 'apiRootUrl', 'writeBack', 'deprovisionOnRetire', 'schedule'], problems);
    const adminEmail = string(merged, 'adminEmail', problems, 320);
    if (adminEmail && !EMAIL.test(adminEmail)) problems.push({ field: 'settings.adminEmail', message: 'must be an email address' });
    const apiRootUrl = url(merged, 'apiRootUrl', problems, allowHttp, false);
    const writeBack = merged['writeBack'] ?? 'off';
    if (!WRITE_BACK_MODES.includes(writeBack as WriteBackMode))
      problems.push({ field: 'settings.writeBack', message: 'must be off, dry_run or on' });
    const deprovisionOnRetire = merged['deprovisionOnRetire'] ?? false;
    if (typeof deprovisionOnRetire !== 'boolean')
      problems.push({ field: 'settings.deprovisionOnRetire', message: 'must be true or false' });
    let key: ServiceAccountKey | null = null;
    if (input['serviceAccountKey'] !== undefined) key = serviceAccountKey(input['serviceAccountKey'], problems, allowHttp);
    else if (!current) problems.push({ field: 'settings.serviceAccountKey', message: 'is required' });
    const cron = schedule(merged, problems);
    if (problems.length) return { problems };
    const serviceAccount = key
      ? { clientEmail: key.client_email, privateKeyId: key.private_key_id, tokenUri: key.token_uri }
      : (current as GoogleSettings).serviceAccount;
    return {
      parsed: {
        settings: {
          serviceAccount,
          adminEmail: adminEmail!,
          apiRootUrl,
          writeBack: writeBack as WriteBackMode,
          deprovisionOnRetire: deprovisionOnRetire === true,
          schedule: cron,
        },
        secrets: key ? { serviceAccountKey: key } : null,
      },
    };
  }
  unknownFields(input, ['baseUrl', 'tokenUrl', 'clientId', 'clientSecret', 'schedule'], problems);
  const baseUrl = url(merged, 'baseUrl', problems, allowHttp, true);
  const tokenUrl = url(merged, 'tokenUrl', problems, allowHttp, true);
  const clientId = string(merged, 'clientId', problems, 500);
  let secret: string | null = null;
  if (input['clientSecret'] !== undefined) secret = string(input, 'clientSecret', problems, 2000);
  else if (!current) problems.push({ field: 'settings.clientSecret', message: 'is required' });
  const cron = schedule(merged, problems);
  if (problems.length) return { problems };
  return {
    parsed: {
      settings: { baseUrl: baseUrl!, tokenUrl: tokenUrl!, clientId: clientId!, schedule: cron },
      secrets: secret ? { clientSecret: secret } : null,
    },
  };
}

/** The purpose a connector's secrets are sealed for: a box from one connector cannot be replayed as another's. */
export const connectorSecretPurpose = (connectorId: string): string => `connector-secrets:${connectorId}`;

/** Why a run stopped, as its error code says. */
export const RUN_ERROR_CODES = [
  'credential_rejected',
  'remote_unavailable',
  'remote_error',
  'import_failed',
  'connector_stopped',
  'unexpected_error',
] as const;
export type RunErrorCode = (typeof RUN_ERROR_CODES)[number];

/** What a custody change asks Google to do with the Chromebook. */
export type WriteBackAction = 'annotate' | 'disable' | 'reenable' | 'deprovision';
