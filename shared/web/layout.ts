// The page shell every HTML page uses. Contract (the public site and the portal both build on it):
//
//   renderPage(input: PageInput): string   (a whole document, <!doctype html> included)
//
// - `main` is the <main> element's content, built with the `html` template from ./html.ts.
// - `alternates` become <link rel="alternate"> (feed readers find the feed of the current view).
// - No inline script or style: CSS and the small progressive-enhancement script are served from
//   /assets/ (same origin), so the Content-Security-Policy needs no 'unsafe-inline'.
// The public site owns this file's implementation; the portal only calls it.
import type { SafeHtml } from './html.ts';
import type { Language, Translate } from './i18n/index.ts';

export interface Alternate {
  type: 'application/rss+xml' | 'application/atom+xml' | 'application/feed+json';
  title: string;
  href: string;
}

export interface PageInput {
  lang: Language;
  t: Translate;
  title: string;
  main: SafeHtml;
  /** Which top-level section is current, for aria-current. */
  nav?: 'latest' | 'subscribe' | 'directory' | 'portal' | 'admin';
  alternates?: Alternate[];
  csrfToken?: string;
  /** Shown in the header when someone is signed in (member acronym, or "Secretariat"). */
  signedIn?: string;
}
