// The page shell every HTML page uses. Contract (the public site and the portal both build on it):
//
//   renderPage(input: PageInput): string   (a whole document, <!doctype html> included)
//
// - `main` is the <main> element's content, built with the `html` template from ./html.ts. It starts
//   with the page's own <h1>: renderPage adds none (`title` goes into <title>).
// - `alternates` become <link rel="alternate"> (feed readers find the feed of the current view).
// - No inline script or style: CSS and the small progressive-enhancement script are served from
//   /assets/ (same origin), so the Content-Security-Policy needs no 'unsafe-inline'.
// The public site owns this file's implementation; the portal only calls it.
import { assetUrl } from './assets.ts';
import { html, raw, type SafeHtml } from './html.ts';
import { LANGUAGES, type Language, type Translate } from '../i18n/index.ts';

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
  /** The page's summary for search results (<meta name="description">); by default the section's. */
  description?: string;
  /** Which top-level section is current, for aria-current. */
  nav?: 'latest' | 'subscribe' | 'directory' | 'portal' | 'admin';
  alternates?: Alternate[];
  csrfToken?: string;
  /** Shown in the header when someone is signed in (member acronym, or "Secretariat"). */
  signedIn?: string;
  /** Signed in as the secretariat: the nav shows its section (also shown whenever nav is 'admin'). */
  admin?: boolean;
  /**
   * This page's path and query, for the language switch to come back to. Optional: without it the
   * switch returns to the page the browser names in Referer (same origin only), else to the home page.
   */
  path?: string;
}

/** Language names in their own language, so a reader finds theirs whatever the page's language. */
const NATIVE_NAMES: Record<Language, string> = { en: 'English', fr: 'Français', es: 'Español' };

type Section = NonNullable<PageInput['nav']>;

function navItems(input: PageInput): SafeHtml[] {
  const { t } = input;
  const sections: [Section, string, string][] = [
    ['latest', '/', t('site.nav.latest')],
    ['subscribe', '/subscribe', t('site.nav.subscribe')],
    ['directory', '/directory', t('site.nav.directory')],
    ['portal', '/portal', t('site.nav.portal')],
  ];
  if (input.admin || input.nav === 'admin') sections.push(['admin', '/admin', t('site.nav.admin')]);
  return sections.map(([id, href, label]) => html`<li><a href="${href}"${input.nav === id ? raw(' aria-current="page"') : ''}>${label}</a></li>`);
}

function languageSwitch(input: PageInput): SafeHtml {
  const back = input.path ? `&back=${encodeURIComponent(input.path)}` : '';
  const items = LANGUAGES.map((l) =>
    l === input.lang
      ? html`<li><span lang="${l}" aria-current="true">${NATIVE_NAMES[l]}</span></li>`
      : html`<li><a href="${`/language?lang=${l}${back}`}" lang="${l}" hreflang="${l}">${NATIVE_NAMES[l]}</a></li>`,
  );
  return html`<nav class="lang-switch" aria-label="${input.t('site.lang.label')}"><ul>${items}</ul></nav>`;
}

/** The page's summary for search results, in its language: a public section's lead, else what the site is. */
function describe({ description, nav, t }: PageInput): string {
  return description ?? t(nav === 'latest' || nav === 'subscribe' || nav === 'directory' ? `${nav}.lead` : 'site.footer.about');
}

export function renderPage(input: PageInput): string {
  const { t } = input;
  const alternates = (input.alternates ?? []).map((a) => html`\n<link rel="alternate" type="${a.type}" title="${a.title}" href="${a.href}">`);
  const csrf = input.csrfToken ? html`\n<meta name="csrf-token" content="${input.csrfToken}">` : '';
  const signedIn = input.signedIn ? html`<p class="signed-in">${t('site.signedIn', { name: input.signedIn })}</p>` : '';
  const doc = html`<!doctype html>
<html lang="${input.lang}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.title} · ${t('site.name')}</title>
<meta name="description" content="${describe(input)}">
<link rel="icon" href="/favicon.ico">
<link rel="stylesheet" href="${assetUrl('site.css')}">${alternates}${csrf}
<script src="${assetUrl('enhance.js')}" defer></script>
</head>
<body>
<a class="skip-link" href="#main">${t('site.skip')}</a>
<header class="site-header">
<div class="wrap header-top">
<p class="brand"><a href="/">${t('site.name')}</a> <span class="tagline">${t('site.tagline')}</span></p>
${languageSwitch(input)}
</div>
<div class="wrap header-nav">
<nav class="site-nav" aria-label="${t('site.nav.label')}"><ul>${navItems(input)}</ul></nav>
${signedIn}
</div>
</header>
<main id="main" class="wrap" tabindex="-1">
${input.main}
</main>
<footer class="site-footer">
<div class="wrap">
<p>${t('site.footer.about')}</p>
<ul class="footer-links">
<li><a href="/feeds/all.rss">${t('site.footer.rss')}</a></li>
<li><a href="/feeds/all.atom">${t('site.footer.atom')}</a></li>
<li><a href="/feeds/all.json">${t('site.footer.json')}</a></li>
<li><a href="/feeds/directory.opml">${t('site.footer.opml')}</a></li>
</ul>
</div>
</footer>
</body>
</html>
`;
  return doc.value;
}
