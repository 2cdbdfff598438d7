/**
 * Why a sign-in with the identity provider was refused: the code logged (never the email or tokens)
 * and the reason the refusal page gives, in words a teacher understands.
 */
export const REFUSALS = {
  unknown_account: {
    status: 403,
    message:
      "Reconnect has no account for this email address. Reconnect accounts are added by your district's Reconnect administrator: ask them to add you, then try again.",
  },
  unknown_district: {
    status: 404,
    message: 'We could not find a school district with that code. Check the code, or sign in with your email address.',
  },
  other_district: {
    status: 403,
    message: 'Your Reconnect account belongs to a different school district. Start again and sign in through your own district.',
  },
  account_disabled: {
    status: 403,
    message:
      "Your Reconnect account has been switched off. If you still need it, ask your district's Reconnect administrator to switch it back on.",
  },
  email_unverified: {
    status: 403,
    message:
      "Your school's sign-in service did not confirm your email address, so Reconnect cannot be sure the account is yours. Ask your district's IT department to check your account.",
  },
  wrong_domain: {
    status: 403,
    message: "This is not one of your school district's accounts. Sign in with your school account, not a personal one.",
  },
  sign_in_expired: { status: 400, message: 'The sign-in took too long or was started in another window. Please start again.' },
  state_mismatch: { status: 400, message: 'The sign-in could not be matched to the one started in this browser. Please start again.' },
  nonce_mismatch: { status: 400, message: 'The sign-in could not be matched to the one started in this browser. Please start again.' },
  provider_refused: {
    status: 403,
    message: "Your school's sign-in service did not let you in (or the sign-in was cancelled). Please try again.",
  },
  provider_error: {
    status: 502,
    message:
      "Your school's sign-in service did not answer as expected. Please try again in a minute; if it keeps happening, tell your district's IT department.",
  },
  not_set_up: {
    status: 404,
    message:
      "Your school district has not set up sign-in with school accounts in Reconnect yet. Ask your district's Reconnect administrator.",
  },
  too_many_attempts: {
    status: 429,
    message: 'There were too many sign-in attempts from this network. Please wait a few minutes and try again.',
  },
} as const;

export type Refusal = keyof typeof REFUSALS;

/** A sign-in in progress, kept sealed in a short-lived cookie between the start and the callback. */
export interface PendingSignIn {
  districtId: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  returnTo: string;
  expiresAt: number;
}

export const PENDING_PURPOSE = 'oidc-pending';
export const PENDING_TTL_MS = 10 * 60_000;

/** Only a path on this site: never `//host` or a URL, so the return path cannot send anyone elsewhere. */
export function safeReturnPath(value: string | undefined): string {
  return value && /^\/(?![/\\])[^\s]*$/.test(value) ? value : '/';
}
