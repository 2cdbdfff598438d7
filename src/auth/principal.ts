export const ROLES = ['state_admin', 'district_admin', 'tech', 'helpdesk', 'attendance', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: resolved from the bearer token by the auth guard. */
export interface Principal {
  tokenId: string;
  name: string;
  role: Role;
  /** null only for state_admin, who sees every district. */
  districtId: string | null;
}
