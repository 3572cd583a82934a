// Portal pages for single actions: confirming a removal (a page, so no script is needed), a new API
// key shown once, and the page for anything that went wrong.
import { toHubError } from '../../errors.ts';
import type { HttpResponse } from '../../http/types.ts';
import type { Feed } from '../../model.ts';
import { html } from '../html.ts';
import { CsrfError } from '../security.ts';
import { feedName } from './portal-feed.ts';
import { csrfField, pageResponse, shownOnce, type View } from './portal-parts.ts';
import '../../i18n/portal.ts';

export function removeConfirmPage(v: View, feed: Feed): HttpResponse {
  const { t } = v;
  const main = html`<h1>${t('portal.remove.title')}</h1>
<p>${t('portal.remove.body', { name: feedName(feed) })}</p>
<p class="feed-url">${feed.url}</p>
<p>${t('portal.remove.keeps')}</p>
<form method="post" action="/portal/feeds/${feed.id}/remove" class="actions">
${csrfField(v)}
<button type="submit" class="danger">${t('portal.remove.submit')}</button>
<a class="button secondary" href="/portal#feed-${feed.id}">${t('portal.remove.cancel')}</a>
</form>`;
  return pageResponse(v, { title: t('portal.remove.title'), main, nav: 'portal' });
}

export function newKeyPage(v: View, key: string, replaced: boolean): HttpResponse {
  const { t } = v;
  const main = html`<h1>${t('portal.newKey.title')}</h1>
${shownOnce(v, t('portal.newKey.label'), key)}
${replaced ? html`<p>${t('portal.newKey.replaced')}</p>` : ''}
<p><a class="button" href="/portal#keys">${t('portal.newKey.back')}</a></p>`;
  return pageResponse(v, { title: t('portal.newKey.title'), main, nav: 'portal', status: 201 });
}

/** Any failure as a page: the reader's own mistakes say what to do; anything else says nothing inside. */
export function problemPage(v: View, err: unknown, nav: 'portal' | 'admin'): HttpResponse {
  const { t } = v;
  const e = toHubError(err);
  let status = 500;
  let key: 'csrf' | 'forbidden' | 'unauthenticated' | 'notFound' | 'invalid' | 'conflict' | 'rateLimited' | 'internal' = 'internal';
  if (e.kind === 'auth') [status, key] = e.code === 'forbidden' ? [403, e instanceof CsrfError ? 'csrf' : 'forbidden'] : [401, 'unauthenticated'];
  else if (e.kind === 'not_found') [status, key] = [404, 'notFound'];
  else if (e.kind === 'validation' || e.kind === 'fetch' || e.kind === 'parse') [status, key] = [e.code === 'body_too_large' ? 413 : 422, 'invalid'];
  else if (e.kind === 'conflict') [status, key] = [409, 'conflict'];
  else if (e.kind === 'rate_limit') [status, key] = [429, 'rateLimited'];
  const detail = status < 500 && key !== 'csrf' && key !== 'forbidden' ? e.message : undefined;
  const main = html`<h1>${t(`portal.problem.${key}.title`)}</h1>
<div class="error-summary" role="alert"><p>${t(`portal.problem.${key}.body`)}</p>${detail ? html`<p>${detail}</p>` : ''}</div>
<p><a href="/${nav}">${t(`portal.problem.back.${nav}`)}</a></p>`;
  return pageResponse(v, { title: t(`portal.problem.${key}.title`), main, nav, status });
}
