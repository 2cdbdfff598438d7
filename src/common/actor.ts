/**
 * Who made a change: a token, a staff user signed in (or owning the token), or the system (jobs,
 * bootstrap). Recorded on audit rows and ticket events; `name` is the token's name or the staff user's email.
 */
export interface Actor {
  tokenId: string | null;
  staffUserId?: string | null;
  name: string;
  /**
   * The request that made the change (X-Request-Id), for its audit rows; absent for the system's own work.
   * Carried explicitly rather than in an AsyncLocalStorage, whose promise hooks ran on every promise of every request.
   */
  requestId?: string | null;
}

/** The actor recorded for work done by the system itself (jobs, bootstrap). */
export const SYSTEM_ACTOR = 'system';
