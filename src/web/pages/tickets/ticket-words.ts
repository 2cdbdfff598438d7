/** The ticket's codes in words, for people reading the queue and a ticket. */

/** Every reason a scan, a school going remote or a person gives, as one sentence. */
export const REASON_SENTENCES: Record<string, string> = {
  no_device: 'The student has no Chromebook or laptop assigned.',
  device_broken: 'The student’s device is recorded as broken or damaged.',
  device_in_repair_no_loaner: 'The student’s device is in repair and no loaner was issued.',
  device_disabled: 'The student’s Chromebook is disabled or deprovisioned in Google Admin.',
  device_not_syncing: 'The student’s Chromebook has not synced with Google for longer than the district allows.',
  device_unsupported: 'The student’s Chromebook is past its auto-update date and no longer gets updates.',
  no_internet: 'The family reported no internet at home and the student has no hotspot.',
  internet_unknown: 'Nobody knows whether the student has internet at home, and they have no hotspot.',
  hotspot_suspended: 'The student’s hotspot line is suspended or deactivated by the carrier.',
  hotspot_over_cap: 'The student’s hotspot has used its whole monthly data allowance.',
  hotspot_idle: 'The student’s hotspot has not been used for longer than the district allows.',
  hotspot_broken: 'The student’s hotspot is recorded as broken or damaged.',
  school_going_remote: 'The student’s school is switching to remote learning.',
};

/** A reason in words; an unknown code (a person's own) as written. */
export function reasonSentence(code: string): string {
  return REASON_SENTENCES[code] ?? `Reason given: ${code.replace(/_/g, ' ')}.`;
}

/** Short form for the queue's table. */
export function reasonShort(code: string): string {
  return code.replace(/_/g, ' ');
}

export const TICKET_TYPES = ['replacement', 'connectivity', 'repair', 'outreach'] as const;
export const TICKET_STATUSES = ['open', 'in_progress', 'waiting', 'resolved', 'closed'] as const;
export const OUTREACH_CHANNELS = [
  { value: 'call', label: 'Call' },
  { value: 'text', label: 'Text' },
  { value: 'email', label: 'Email' },
  { value: 'home_visit', label: 'Home visit' },
] as const;
export const OUTREACH_OUTCOMES = [
  { value: 'reached', label: 'Reached' },
  { value: 'no_answer', label: 'No answer' },
  { value: 'left_message', label: 'Left message' },
  { value: 'wrong_contact', label: 'Wrong contact' },
  { value: 'visited', label: 'Visited' },
  { value: 'not_home', label: 'Not home' },
  { value: 'other', label: 'Other' },
] as const;
