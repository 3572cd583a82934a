// The frame of the hub's few HTML pages (subscription links): server-rendered, accessible, no script,
// no external resources, everything escaped. A strict Content-Security-Policy and no Referer, since
// these URLs carry tokens.
import { escapeHtml } from '../../alerts/html.ts';
import { HubError, toHubError } from '../../errors.ts';
import type { HttpResponse } from '../types.ts';

export { escapeHtml };

export const PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
};

/** `body` is trusted HTML built by the caller from escaped parts. */
export function page(status: number, title: string, body: string): HttpResponse {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · ICAT publication alerts</title>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
  return { status, headers: { ...PAGE_HEADERS }, body: html };
}

export function paragraph(text: string): string {
  return `<p>${escapeHtml(text)}</p>`;
}

/** A page for a failure: the reader's own mistakes say what to do; anything else says nothing inside. */
export function errorPage(err: unknown): HttpResponse {
  const e = toHubError(err);
  if (e.code === 'invalid_token') return page(400, 'This link is not valid', paragraph(e.message));
  if (e.code === 'expired_token') return page(410, 'This link has expired', paragraph(e.message));
  if (e.kind === 'not_found') return page(404, 'This link is no longer valid', paragraph(e.message));
  if (e instanceof HubError && e.kind === 'validation') return page(422, 'Something is not right', paragraph(e.message));
  return page(500, 'Something went wrong', paragraph('Something went wrong on our side. Please try again in a few minutes.'));
}
