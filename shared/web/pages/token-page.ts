// The frame of the pages behind the links in alert mails (confirm, manage, unsubscribe): the site's
// own layout, in the reader's language, with stricter headers than other pages since these URLs
// carry tokens: nothing fetched but the site's stylesheet and script, and no Referer.
import { escape } from '../html.ts';
import { HubError, toHubError } from '../../errors.ts';
import { html, type SafeHtml } from '../html.ts';
import { translator, type Language, type Translate } from '../../i18n/index.ts';
import { renderPage } from '../layout.ts';
import { htmlResponse, TOKEN_PAGE_HEADERS } from '../respond.ts';
import type { HttpResponse } from '../../http/types.ts';



/** The reader's language for these pages, and the path to come back to after switching language. */
export interface PageLocale {
  lang: Language;
  path?: string;
}

const EN: PageLocale = { lang: 'en' };

/** `main` comes after the page's heading, built with the `html` template. */
export function page(status: number, title: string, main: SafeHtml, locale: PageLocale = EN): HttpResponse {
  const t = translator(locale.lang);
  const body = renderPage({ lang: locale.lang, t, title, nav: 'subscribe', path: locale.path, main: html`<h1>${title}</h1>\n${main}` });
  return htmlResponse(status, body, { ...TOKEN_PAGE_HEADERS });
}

export function paragraph(text: string): SafeHtml {
  return html`<p>${text}</p>`;
}

export function localeTranslator(locale: PageLocale = EN): Translate {
  return translator(locale.lang);
}

/** A page for a failure: the reader's own mistakes say what to do; anything else says nothing inside. */
export function errorPage(err: unknown, locale: PageLocale = EN): HttpResponse {
  const e = toHubError(err);
  const t = translator(locale.lang);
  const again = html`<p><a href="/subscribe">${t('subscribe.link.again')}</a></p>`;
  if (e.code === 'invalid_token') return page(400, t('subscribe.link.invalid.title'), html`${paragraph(t('subscribe.link.invalid.body'))}${again}`, locale);
  if (e.code === 'expired_token') return page(410, t('subscribe.link.expired.title'), html`${paragraph(t('subscribe.link.expired.body'))}${again}`, locale);
  if (e.kind === 'not_found') return page(404, t('subscribe.link.gone.title'), html`${paragraph(t('subscribe.link.gone.body'))}${again}`, locale);
  if (e instanceof HubError && e.kind === 'validation') return page(422, t('subscribe.link.wrong.title'), paragraph(e.message), locale);
  return page(500, t('site.error.title'), paragraph(t('site.error.body')), locale);
}
