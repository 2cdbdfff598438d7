/** Who made a change: a token, or the system (jobs, bootstrap). Recorded on audit rows and ticket events. */
export interface Actor {
  tokenId: string | null;
  name: string;
}

/** The actor recorded for work done by the system itself (jobs, bootstrap). */
export const SYSTEM_ACTOR = 'system';
