/**
 * Who made a change: a token, a staff user signed in (or owning the token), or the system (jobs,
 * bootstrap). Recorded on audit rows and ticket events; `name` is the token's name or the staff user's email.
 */
export interface Actor {
  tokenId: string | null;
  staffUserId?: string | null;
  name: string;
}

/** The actor recorded for work done by the system itself (jobs, bootstrap). */
export const SYSTEM_ACTOR = 'system';
