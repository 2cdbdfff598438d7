export const ROLES = ['state_admin', 'district_admin', 'tech', 'helpdesk', 'attendance', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: resolved by the auth guard from a bearer token or a session cookie. */
export interface Principal {
  /** The token used, directly or to open the session; null for a staff user's own session. */
  tokenId: string | null;
  /** The staff user signed in, or the owner of the token; null for a token nobody owns. */
  staffUserId: string | null;
  /** The token's name, or the staff user's email. */
  name: string;
  role: Role;
  /** null only for state_admin, who sees every district. */
  districtId: string | null;
  /** The schools a school-scoped staff user (or their token) may see; null: the whole district. */
  schoolIds: string[] | null;
  /** The session the request came with; null for a bearer token. */
  sessionId: string | null;
  /** The request's id (X-Request-Id): set by AuthGuard on the request's own copy, never on a cached principal. */
  requestId?: string;
}
