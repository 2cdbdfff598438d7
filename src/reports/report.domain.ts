/** The words of the reports that their routes, SQL and repository share. */

/** The donation rollout's reconciliation lists: serials that do not match between manifests and devices. */
export const RECONCILIATION_LISTS = ['deliveredNotRegistered', 'registeredNotOnManifest', 'deliveredUnderOtherFunding'] as const;
export type ReconciliationList = (typeof RECONCILIATION_LISTS)[number];
