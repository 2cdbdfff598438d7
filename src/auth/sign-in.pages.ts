/**
 * The server-rendered sign-in pages: plain HTML forms, no script, so they work with a strict CSP and
 * without JavaScript. The staff console (a later issue) replaces the sign-in page.
 */

/** Sent with every page here: nothing loads from elsewhere, nothing frames it, nothing is cached. */
export const PAGE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · Reconnect</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; color: #1b1b1b; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
label { display: block; font-weight: 600; margin: 1rem 0 .25rem; }
input { font: inherit; width: 100%; box-sizing: border-box; padding: .5rem; border: 1px solid #555; border-radius: 4px; }
button { font: inherit; margin-top: 1rem; padding: .5rem 1.25rem; border: 0; border-radius: 4px; background: #0b5394; color: #fff; cursor: pointer; }
button:focus, input:focus, a:focus { outline: 3px solid #f2a900; outline-offset: 2px; }
.notice { border-left: 4px solid #b00020; background: #fdecee; padding: .75rem 1rem; }
.hint { color: #444; font-size: .9rem; }
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export function signInPage(options: { tokenSignIn: boolean; returnTo: string; error?: string }): string {
  const returnTo = `<input type="hidden" name="returnTo" value="${escape(options.returnTo)}">`;
  const notice = options.error ? `<p class="notice" role="alert">${escape(options.error)}</p>` : '';
  const tokenForm = options.tokenSignIn
    ? `<h2 id="token-heading">Sign in with an API token</h2>
<form method="post" action="/sign-in/token" aria-labelledby="token-heading">
${returnTo}
<label for="token">API token</label>
<input id="token" name="token" type="password" autocomplete="off" required>
<p class="hint">For administrators setting up Reconnect, with the bootstrap or another admin token.</p>
<button type="submit">Sign in with token</button>
</form>`
    : '';
  return layout(
    'Sign in',
    `<h1>Sign in to Reconnect</h1>
${notice}
<h2 id="school-heading">Sign in with your school account</h2>
<form method="get" action="/auth/oidc/start" aria-labelledby="school-heading">
${returnTo}
<label for="email">Your school email address</label>
<input id="email" name="email" type="email" autocomplete="email" required>
<button type="submit">Continue</button>
</form>
${tokenForm}`,
  );
}

export function refusalPage(message: string): string {
  return layout(
    'Sign-in not completed',
    `<h1>You are not signed in</h1>
<p class="notice" role="alert">${escape(message)}</p>
<p><a href="/sign-in">Back to the sign-in page</a></p>`,
  );
}
