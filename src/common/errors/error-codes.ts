import { DomainError, type ErrorKind, type FieldError } from './domain-error.js';

/** What a catalogue entry makes of its arguments: the problem's detail, and the fields or extensions it names. */
interface Problem {
  detail: string;
  errors?: FieldError[];
  extra?: Record<string, unknown>;
}

const entry = <K extends ErrorKind, A extends unknown[]>(kind: K, problem: (...args: A) => Problem) => ({ kind, problem });

const fieldList = (errors: FieldError[]): string => [...new Set(errors.map((e) => e.field))].join(', ');

/** A record the request names that is absent, or in another district (which must look the same). */
const missing = (record: string) => entry('not_found', (id: string, key: string = 'id') => ({ detail: `No ${record} with ${key} ${id}.` }));

/** A unique value another record of the district already has. */
const taken = <A extends unknown[]>(field: string, owner: string, detail: (...args: A) => string) =>
  entry('conflict', (...args: A) => ({ detail: detail(...args), errors: [{ field, message: `already used by another ${owner}` }] }));

/** The device's status rules the change out (`field`: the request's field that asked for it). */
const deviceIs = (status: string) =>
  entry('conflict', (refused: string, field?: string) => ({
    detail: `The device is ${status.replace('_', ' ')}; it cannot be ${refused}.`,
    errors: field ? [{ field, message: `cannot be set on a device that is ${status}` }] : [],
    extra: { deviceStatus: status },
  }));

const NOT_AVAILABLE = {
  held_by_student: () => 'The student already holds this device.',
  status: (status: string) => `The device is ${status}, not in_stock.`,
  taken: () => 'The device was taken by another request at the same time.',
  changed_hands: () => 'The device changed hands while this list was processed.',
};

/**
 * Every error code the API answers with (the `code` of a problem, a stable part of the API) with its
 * kind, which problem-details.filter.ts turns into the HTTP status, and its wording. Throw with
 * `domainError(code, ...args)`; a code that is not here does not compile.
 */
export const ERROR_CODES = {
  // The request's shape (common/http, and services' own checks of it).
  validation_failed: entry('validation', (errors: FieldError[], total: number = errors.length) => ({
    detail: `The request is invalid: ${fieldList(errors)}${total > errors.length ? ` (${total} problems; the first ${errors.length} are listed)` : ''}.`,
    errors,
  })),
  invalid_cursor: entry('validation', () => ({
    detail: 'The cursor is not one this list handed out.',
    errors: [{ field: 'cursor', message: 'not a cursor from this list' }],
  })),
  as_of_in_future: entry('unprocessable', (latest: string) => ({
    detail: `A scan can judge a day up to ${latest}, not later: logins after today have not happened yet.`,
    errors: [{ field: 'asOf', message: `must be ${latest} or earlier` }],
  })),
  malformed_json: entry('validation', () => ({ detail: 'The request body is not valid JSON.' })),
  unsupported_encoding: entry('validation', (reason: string | undefined) => ({ detail: reason ?? 'Unsupported body encoding.' })),
  payload_too_large: entry('payload_too_large', () => ({ detail: 'The request body is larger than the configured limit.' })),
  database_unavailable: entry('unavailable', (retryAfterSeconds: number) => ({
    detail: 'The database cannot be reached right now; nothing was changed. Try again shortly.',
    extra: { retryAfterSeconds },
  })),
  json_too_deep: entry('validation', (max: number) => ({ detail: `The request body is nested deeper than ${max} levels.` })),
  unsupported_content_type: entry('unsupported_media_type', (type: string) => ({
    detail: `This route reads application/json, not ${type}.`,
  })),
  internal_error: entry('internal', (requestId: string | undefined) => ({
    detail: `An unexpected error occurred. Quote request id ${requestId ?? 'unknown'} when reporting it.`,
  })),

  // Who may do what.
  missing_token: entry('unauthenticated', () => ({
    detail: 'Sign in at /sign-in, or send an API token as "Authorization: Bearer <token>".',
  })),
  invalid_token: entry('unauthenticated', () => ({ detail: 'The API token is unknown or revoked.' })),
  session_expired: entry('unauthenticated', () => ({
    detail: 'The session has ended (signed out, timed out, or the account changed). Sign in again at /sign-in.',
  })),
  no_token_in_session: entry('not_found', () => ({
    detail: 'This session was opened by a staff sign-in, not with an API token. GET /api/v1/sessions/current says who is signed in.',
  })),
  no_session: entry('validation', () => ({ detail: 'The request did not come with a session; a bearer token has none to end.' })),
  role_not_allowed: entry('forbidden', (role: string, action: string = 'do this') => ({ detail: `The role ${role} may not ${action}.` })),
  outside_school_scope: entry('forbidden', () => ({
    detail: 'This account is limited to some schools; this acts on the whole district. Ask a district-wide account.',
  })),
  cross_site_request: entry('forbidden', () => ({
    detail: 'A signed-in browser request that changes something must come from Reconnect itself (Origin or Sec-Fetch-Site).',
  })),
  token_sign_in_disabled: entry('forbidden', () => ({ detail: 'Signing in with an API token is switched off here (TOKEN_SIGN_IN).' })),
  too_many_attempts: entry('rate_limited', (retryAfterSeconds: number) => ({
    detail: `Too many failed sign-ins or token attempts from this address; try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`,
    extra: { retryAfterSeconds },
  })),
  too_many_requests: entry('rate_limited', (retryAfterSeconds: number) => ({
    detail: `Too many requests; try again in ${retryAfterSeconds} second(s).`,
    extra: { retryAfterSeconds },
  })),
  secrets_key_missing: entry('conflict', () => ({
    detail: "SECRETS_KEY is not set on the server, so an identity provider's client secret cannot be stored.",
  })),
  connector_secrets_key_missing: entry('conflict', () => ({
    detail: "SECRETS_KEY is not set on the server, so a connector's key file or client secret cannot be stored.",
  })),
  duplicate_connector: entry('conflict', (kind: string) => ({
    detail: `The district already has a ${kind} connector; change its settings instead.`,
    errors: [{ field: 'kind', message: 'the district already has a connector of this kind' }],
  })),
  connector_run_in_progress: entry('conflict', (runId: string) => ({
    detail: `Run ${runId} of this connector is queued or running; runs of one connector never overlap. Follow it instead.`,
    extra: { runId },
  })),
  identity_provider_unreachable: entry('unprocessable', (reason: string) => ({
    detail: `The issuer's OpenID configuration could not be read: ${reason}.`,
    errors: [{ field: 'issuer', message: 'no OpenID Connect discovery document at this issuer' }],
  })),

  // An import file refused as it arrives (its format, encoding or header): nothing is recorded.
  import_file_refused: entry('unprocessable', (detail: string, errors: FieldError[]) => ({ detail, errors })),

  // Records a request names. As the URL's record: 404; as a reference in the body: 422 (referenceNotFound).
  api_token_not_found: missing('API token'),
  identity_provider_not_found: missing('identity provider for district'),
  staff_user_not_found: missing('staff user'),
  assignment_not_found: missing('assignment'),
  device_not_found: missing('device'),
  district_not_found: missing('district'),
  gap_scan_not_found: missing('gap scan'),
  import_not_found: missing('import'),
  kit_not_found: missing('kit'),
  kit_template_not_found: missing('kit template'),
  school_not_found: missing('school'),
  shipment_not_found: missing('shipment'),
  status_mapping_not_found: missing('status mapping'),
  student_not_found: missing('student'),
  ticket_not_found: missing('ticket'),
  connector_not_found: missing('connector'),
  connector_run_not_found: missing('connector run'),

  // Values that must be unique in a district.
  duplicate_staff_email: taken('email', 'staff user', () => 'A staff user with this email already exists.'),
  duplicate_district_code: taken('code', 'district', (code: string) => `A district with code ${code} already exists.`),
  duplicate_school_code: taken('code', 'school of the district', (code: string) => `The district already has a school with code ${code}.`),
  duplicate_sourced_id: entry('conflict', (record: 'school' | 'student', sourcedId: string) => ({
    detail: `The district already has a ${record} with sourcedId ${sourcedId}.`,
    errors: [{ field: 'sourcedId', message: `already used by another ${record} of the district` }],
  })),
  duplicate_asset_tag: taken('assetTag', 'device in this district', () => 'Another device in this district has this asset tag.'),
  duplicate_serial_number: taken(
    'serialNumber',
    'device in this district',
    () => 'Another device in this district has this serial number.',
  ),
  duplicate_imei: taken('imei', 'device in this district', () => 'Another device in this district has this IMEI.'),
  duplicate_iccid: taken('iccid', 'device in this district', () => 'Another device in this district has this ICCID.'),
  duplicate_status_mapping: taken(
    'label',
    'status mapping of the district',
    () => 'The district already maps this status label; change it with PUT /api/v1/status-mappings or PATCH its id.',
  ),
  duplicate_kit_template_name: taken(
    'name',
    'kit template of the district',
    (name: string) => `The district already has a kit template named ${name}.`,
  ),
  duplicate_shipment_reference: taken(
    'reference',
    'manifest in this district',
    () => 'A manifest with this reference is already recorded in the district.',
  ),

  // Devices and custody.
  device_in_repair: deviceIs('in_repair'),
  device_lost: deviceIs('lost'),
  device_stolen: deviceIs('stolen'),
  device_retired: deviceIs('retired'),
  status_change_not_allowed: entry('conflict', (status: string) => ({
    detail: `A device that is ${status} changes status through its custody routes, not PATCH.`,
    errors: [{ field: 'status', message: `cannot be set on a device that is ${status}` }],
    extra: { deviceStatus: status },
  })),
  device_not_available: entry('conflict', (why: keyof typeof NOT_AVAILABLE, status: string | null = null) => ({
    detail: NOT_AVAILABLE[why](status ?? ''),
    extra: status ? { deviceStatus: status } : {},
  })),
  device_not_assigned: entry('conflict', (status: string) => ({
    detail: `The device is ${status}; no student holds it.`,
    extra: { deviceStatus: status },
  })),
  device_not_in_repair: entry('conflict', (status: string) => ({
    detail: `The device is ${status}, not in repair.`,
    extra: { deviceStatus: status },
  })),
  repair_has_no_student: entry('conflict', () => ({ detail: 'No student held the device when it came in; return it to stock.' })),
  no_loaner_available: entry('conflict', (kind: string, schoolId: string) => ({
    detail: `No working ${kind} is in stock at the student's school.`,
    extra: { schoolId },
  })),
  student_withdrawn: entry('conflict', () => ({ detail: 'The student has withdrawn; devices go only to active students.' })),
  assignment_ended: entry('conflict', (endReason: string | null) => ({
    detail: `The assignment already ended (${endReason}).`,
    extra: { endReason },
  })),
  assignment_already_acknowledged: entry('conflict', () => ({ detail: 'The hand-off of this assignment is already acknowledged.' })),
  kit_already_returned: entry('conflict', (id: string, returnedAt: Date | null) => ({
    detail: `Kit ${id} was already returned${returnedAt ? ` on ${returnedAt.toISOString()}` : ''}.`,
  })),
  // Reported per line by the bulk custody routes, never thrown.
  duplicate_line: entry('validation', (first: number) => ({ detail: `The device is already on line ${first} of this list.` })),
  signed_in_future: entry('validation', () => ({ detail: 'The acknowledgement is dated in the future.' })),

  // Asset labels (POST /labels): refused before the first byte of the PDF, so nothing half-printed.
  labels_not_printable: entry('unprocessable', (errors: FieldError[], total: number, template: string, maxLength: number) => ({
    detail:
      `${total} device(s) cannot be labelled: a label needs an asset tag of printable ASCII (what a scanner types back), ` +
      `at most ${maxLength} characters on ${template}. Nothing was printed; fix the tags or leave those devices out.` +
      (total > errors.length ? ` The first ${errors.length} are listed.` : ''),
    errors,
  })),
  no_devices_to_label: entry('unprocessable', (field: 'schoolId' | 'shipmentId') => ({
    detail: `The ${field === 'schoolId' ? 'school' : 'shipment'} has no devices in circulation to label.`,
    errors: [{ field, message: 'has no devices to label' }],
  })),

  // Imports.
  import_not_awaiting_confirmation: entry('conflict', (status: string) => ({
    detail: `The import is ${status.replace('_', ' ')}; only an import that needs confirmation can be confirmed.`,
    extra: { importStatus: status },
  })),
  import_mapping_not_found: missing('import mapping'),
  import_mapping_name_taken: taken(
    'name',
    'mapping of this kind',
    (name: string) => `The district already has a mapping named ${name} for this kind.`,
  ),

  // Tickets.
  ticket_already_open: entry('conflict', () => ({ detail: 'The student already has an open ticket of this type.' })),
  repair_ticket_already_open: entry('conflict', () => ({
    detail: 'The device already has an open repair ticket.',
    errors: [{ field: 'deviceId', message: 'already has an open repair ticket' }],
  })),
  illegal_transition: entry('conflict', (from: string, to: string) => ({
    detail: `A ${from} ticket cannot become ${to}.`,
    errors: [{ field: 'status', message: `not allowed from ${from}` }],
  })),
  not_an_outreach_ticket: entry('conflict', () => ({ detail: 'Outreach attempts are logged on outreach tickets.' })),

  // Safe retries (Idempotency-Key) and lost updates (If-Match).
  invalid_idempotency_key: entry('validation', () => ({
    detail: 'Idempotency-Key must be 1 to 255 visible ASCII characters (optionally in double quotes).',
    errors: [{ field: 'Idempotency-Key', message: 'not a valid key' }],
  })),
  idempotency_key_reused: entry('unprocessable', () => ({
    detail: 'This Idempotency-Key was already used for a different request; use a new key for a new request.',
    errors: [{ field: 'Idempotency-Key', message: 'used with another request body or route' }],
  })),
  idempotency_key_in_use: entry('conflict', () => ({
    detail: 'A request with this Idempotency-Key is still being processed; retry once it has finished.',
    errors: [{ field: 'Idempotency-Key', message: 'request still in progress' }],
  })),
  precondition_failed: entry('precondition_failed', (current: string | null) => ({
    detail: 'The record has changed since you read it (If-Match names another version); read it again and reapply your change.',
    errors: [{ field: 'If-Match', message: 'does not match the current version' }],
    extra: current ? { currentETag: current } : {},
  })),
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
type Catalogue = typeof ERROR_CODES;

/** The codes of records a request can name: `domainError` answers 404 for them, `referenceNotFound` 422. */
export type RecordNotFoundCode = { [C in ErrorCode]: Catalogue[C]['kind'] extends 'not_found' ? C : never }[ErrorCode];

export function domainError<C extends ErrorCode>(code: C, ...args: Parameters<Catalogue[C]['problem']>): DomainError {
  const { kind, problem } = ERROR_CODES[code] as { kind: ErrorKind; problem: (...a: typeof args) => Problem };
  const { detail, errors, extra } = problem(...args);
  return new DomainError(kind, code, detail, errors, extra);
}

/**
 * A record the request body refers to is absent (or in another district): the request is well formed
 * but does not fit, so 422 naming the field, where the same record addressed by the URL answers 404.
 * Both keep the record's code, which clients and tests already rely on.
 */
export function referenceNotFound(code: RecordNotFoundCode, field: string, id?: string): DomainError {
  const record = code.slice(0, -'_not_found'.length).replace(/_/g, ' ');
  const message = record === 'district' ? 'no such district' : `no such ${record} in this district`;
  const detail = id ? `No ${record} with id ${id}.` : `No such ${record}${record === 'district' ? '' : ' in the district'}.`;
  return new DomainError('unprocessable', code, detail, [{ field, message }]);
}

/** Several records a list in the body names are absent (or another district's): 422 naming each index, as referenceNotFound. */
export function referencesNotFound(code: RecordNotFoundCode, fields: string[], total: number = fields.length): DomainError {
  const record = code.slice(0, -'_not_found'.length).replace(/_/g, ' ');
  const detail = `${total} ${record} id(s) name no ${record} in this district${total > fields.length ? `; the first ${fields.length} are listed` : ''}.`;
  return new DomainError(
    'unprocessable',
    code,
    detail,
    fields.map((field) => ({ field, message: `no such ${record} in this district` })),
  );
}

/**
 * Codes for errors the framework raises (an unknown route, an upload over the limit, ...), by HTTP
 * status; problem-details.filter.ts answers them with these codes.
 */
export const HTTP_ERROR_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'route_not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'content_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable_content',
  500: 'internal_server_error',
  503: 'service_unavailable',
};
export const UNKNOWN_HTTP_ERROR_CODE = 'http_error';
