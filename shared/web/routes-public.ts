// The public pages: latest publications (/), e-mail alerts (/subscribe, in routes-subscribe.ts), the
// feed directory (/directory), the site's assets (/assets/*, /favicon.ico) and the language switch (/language).
import type { AlertsContext } from '../alerts/context.ts';
import type { HubContext } from '../app/context.ts';
import type { Router } from '../http/router.ts';
import type { HttpRequest, HttpResponse } from '../http/types.ts';
import { serveAsset } from './assets.ts';
import { chooseLanguage } from '../i18n/index.ts';
import { directoryMain } from './pages/directory.ts';
import { latestMain, PAGE_SIZE, viewFeeds } from './pages/latest.ts';
import { messageMain } from './pages/subscribe-form.ts';
import { parseFilters } from '../app/publication-filters.ts';
import { queryPage, type PublicationIndex } from '../app/publication-index.ts';
import { pageOf, render } from './page.ts';
import { htmlResponse, LANG_COOKIE, localPath, redirect, secureCookies } from './respond.ts';
import { registerSubscribeRoutes } from './routes-subscribe.ts';
import { serializeCookie } from './security.ts';

export interface PublicRoutesDeps {
  ctx: HubContext;
  publications: PublicationIndex;
  publicUrl: string;
  /** E-mail alerts; absent: the subscribe page says they are not offered here. */
  alerts?: AlertsContext;
}

/** The page number asked for; anything but a whole number from 1 is page 1. */
function pageNumber(raw: string | null): number {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

/** A same-origin Referer's path, to return to after switching language. */
function refererPath(req: HttpRequest): string | undefined {
  try {
    const ref = new URL(req.headers.referer ?? '');
    return ref.host === req.headers.host ? localPath(`${ref.pathname}${ref.search}`) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A browser asking for a page that does not exist gets a page, in its language, rather than the API's
 * JSON; API clients and feed readers keep the JSON answer.
 */
export function htmlNotFound(req: HttpRequest, res: HttpResponse): HttpResponse {
  const page = req.method === 'GET' || req.method === 'HEAD';
  const machine = req.path.startsWith('/api/') || req.path.startsWith('/feeds/') || req.path.startsWith('/assets/');
  if (res.status !== 404 || !page || machine || !(req.headers.accept ?? '').includes('text/html')) return res;
  const p = pageOf(req);
  const main = messageMain(p.t('site.notFound.title'), p.t('site.notFound.body'), { href: '/', label: p.t('site.notFound.home') });
  return htmlResponse(404, req.method === 'HEAD' ? '' : render(p, { title: p.t('site.notFound.title'), main }));
}

export function registerPublicRoutes(router: Router, deps: PublicRoutesDeps): void {
  const { ctx, publications } = deps;
  const secure = secureCookies(deps.publicUrl);

  router.on('GET', '/', async (req) => {
    const p = pageOf(req);
    const [members, snapshot] = await Promise.all([ctx.store.listMembers(), publications.snapshot()]);
    const { filters, problems } = parseFilters(req.query, new Set(members.map((m) => m.id)));
    const result = problems.length ? { items: [], total: 0, page: 1, pages: 1 } : queryPage(snapshot, filters, pageNumber(req.query.get('page')), PAGE_SIZE);
    // The member list offers members that have published or have joined the hub.
    const listed = members.filter((m) => m.active || snapshot.memberCounts.has(m.id));
    const main = latestMain({ lang: p.lang, t: p.t, filters, problems, result, members: listed, categories: snapshot.categories, languages: snapshot.languages });
    const alternates = problems.length ? [] : viewFeeds(filters, p.t).alternates;
    return htmlResponse(problems.length ? 400 : 200, render(p, { title: p.t('latest.title'), nav: 'latest', main, alternates }));
  });

  router.on('GET', '/directory', async (req) => {
    const p = pageOf(req);
    const [members, feeds, snapshot] = await Promise.all([ctx.store.listMembers(), ctx.store.listFeeds(), publications.snapshot()]);
    const main = directoryMain({ lang: p.lang, t: p.t, members, feeds, publicationCounts: snapshot.memberCounts, newestByFeed: snapshot.newestByFeed });
    return htmlResponse(200, render(p, { title: p.t('directory.title'), nav: 'directory', main }));
  });

  registerSubscribeRoutes(router, { publications, secure, alerts: deps.alerts });

  const asset = (req: HttpRequest, name: string): HttpResponse =>
    serveAsset(req, name) ?? { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }, body: 'Not found' };
  router.on('GET', '/assets/{file}', async (req, { file }) => asset(req, file!));
  // Browsers and crawlers ask for /favicon.ico whatever the page links to.
  router.on('GET', '/favicon.ico', async (req) => asset(req, 'favicon.ico'));

  // The language switch: remembered in a cookie, then back to the page it was chosen on.
  router.on('GET', '/language', async (req) => {
    const lang = chooseLanguage(req.query.get('lang') ?? undefined, undefined);
    const back = localPath(req.query.get('back')) ?? refererPath(req) ?? '/';
    return redirect(back, { 'set-cookie': serializeCookie(LANG_COOKIE, lang, { sameSite: 'Lax', secure, maxAgeSeconds: 365 * 86_400 }) });
  });
}
