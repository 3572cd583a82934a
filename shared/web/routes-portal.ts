// The member portal (/portal): the member's feeds and their health, registering, pausing and
// removing feeds, proving domains, replacing API keys. Every change is a form post (no script
// needed), CSRF-checked, and acts only on the signed-in member's own feeds (feedForCaller).
import { requestDomain, verifyDomain } from '../app/domains.ts';
import { updateFeed } from '../app/change-feed.ts';
import { feedForCaller, registerFeed, removeFeed } from '../app/feed-registry.ts';
import { rotateKey } from '../app/members.ts';
import { HubError, NotFoundError, ValidationError } from '../errors.ts';
import type { Router } from '../http/router.ts';
import type { HttpResponse } from '../http/types.ts';
import { listField, textField } from './forms.ts';
import { dashboardPage } from './pages/portal.ts';
import { newKeyPage, removeConfirmPage } from './pages/portal-actions.ts';
import { refusedPage, registeredPage, type RegisterValues } from './pages/portal-register.ts';
import { memberSignInPage } from './pages/sign-in.ts';
import { memberRoute, noticeFrom, type MemberPageRequest, type PageRequest, type PortalDeps } from './portal-context.ts';
import { registerSignInRoutes } from './routes-sign-in.ts';
import { redirect } from './respond.ts';
import { sessionCookie } from './security.ts';
import '../i18n/portal.ts';

const NOTICES = ['paused', 'resumed', 'removed', 'domainRequested', 'domainVerified'] as const;

const signedOut = async (p: PageRequest) => memberSignInPage(p.view);

async function dashboard(deps: PortalDeps, p: MemberPageRequest, extra: { domainProblem?: string; status?: number } = {}) {
  const [all, snapshot] = await Promise.all([deps.ctx.store.listFeeds({ memberId: p.member.id }), deps.publications?.snapshot()]);
  const feeds = all.filter((f) => !f.removed).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const newestByFeed = snapshot?.newestByFeed;
  return dashboardPage(p.view, { member: p.member, feeds, newestByFeed, now: deps.ctx.now(), notice: noticeFrom(p.view, p.req, NOTICES), sessionKeyHash: p.keyHash, ...extra });
}

/** The member's own feed; another member's is refused (403), as in the API. */
const ownFeed = (deps: PortalDeps, p: MemberPageRequest) => feedForCaller(deps.ctx, p.params.id ?? '', { admin: false, memberId: p.member.id });

export function registerPortalRoutes(router: Router, deps: PortalDeps): void {
  const { ctx } = deps;
  const member = (handler: (p: MemberPageRequest) => Promise<HttpResponse>) => memberRoute(deps, handler, signedOut);

  router.on('GET', '/portal', member((p) => dashboard(deps, p)));
  registerSignInRoutes(router, deps);

  router.on(
    'POST',
    '/portal/feeds',
    member(async (p) => {
      const values: RegisterValues = { url: textField(p.form, 'url'), title: textField(p.form, 'title', 200), language: textField(p.form, 'language', 35), categories: textField(p.form, 'categories', 2000) };
      const categories = listField(p.form, 'categories', 21);
      const defaults = values.language || categories.length > 0 ? { ...(values.language && { language: values.language }), ...(categories.length > 0 && { categories }) } : undefined;
      try {
        const { feed, findings } = await registerFeed(ctx, p.member, { url: values.url, title: values.title, defaults }, deps.registration);
        return registeredPage(p.view, feed, findings);
      } catch (err) {
        if (err instanceof HubError && ['validation', 'fetch', 'parse', 'conflict', 'rate_limit'].includes(err.kind)) return refusedPage(p.view, err, values);
        throw err;
      }
    }),
  );

  for (const [action, paused] of [['pause', true], ['resume', false]] as const) {
    router.on(
      'POST',
      `/portal/feeds/{id}/${action}`,
      member(async (p) => {
        const feed = await updateFeed(ctx, await ownFeed(deps, p), { paused });
        return redirect(`/portal?notice=${paused ? 'paused' : 'resumed'}#feed-${feed.id}`);
      }),
    );
  }

  router.on('GET', '/portal/feeds/{id}/remove', member(async (p) => removeConfirmPage(p.view, await ownFeed(deps, p))));

  router.on(
    'POST',
    '/portal/feeds/{id}/remove',
    member(async (p) => {
      await removeFeed(ctx, await ownFeed(deps, p));
      return redirect('/portal?notice=removed#feeds');
    }),
  );

  router.on(
    'POST',
    '/portal/domains',
    member(async (p) => {
      try {
        await requestDomain(ctx, p.member, textField(p.form, 'domain', 260));
      } catch (err) {
        if (!(err instanceof HubError) || (err.kind !== 'validation' && err.kind !== 'conflict')) throw err;
        return dashboard(deps, p, { domainProblem: err.message, status: 422 });
      }
      return redirect('/portal?notice=domainRequested#domains');
    }),
  );

  router.on(
    'POST',
    '/portal/domains/{domain}/verify',
    member(async (p) => {
      try {
        const { released } = await verifyDomain(ctx, deps.verifier, p.member, p.params.domain);
        return redirect(`/portal?notice=domainVerified&n=${released.length}#domains`);
      } catch (err) {
        if (!(err instanceof HubError) || (err.kind !== 'validation' && err.kind !== 'not_found')) throw err;
        return dashboard(deps, p, { domainProblem: `${p.view.t('portal.domains.failed')} ${err.message}`, status: 422 });
      }
    }),
  );

  router.on(
    'POST',
    '/portal/keys/{keyId}/replace',
    member(async (p) => {
      const key = p.member.keys?.find((k) => k.id === p.params.keyId);
      if (!key) throw new NotFoundError(p.view.t('portal.keys.notFound'), 'key_not_found');
      const { apiKey, id } = await rotateKey(ctx.store, p.member, key.hash, ctx.now().toISOString());
      ctx.log.info('api key replaced in the portal', { member_id: p.member.id, key_id: id });
      const page = newKeyPage(p.view, apiKey, true);
      // A session signed in with the replaced key would end with it: carry it over to the new key.
      if (key.hash !== p.keyHash) return page;
      const session = deps.signIn.memberSession(p.member.id, id);
      return { ...page, headers: { ...page.headers, 'set-cookie': sessionCookie(await deps.sessions.encode(session), deps.secure) } };
    }),
  );

  router.on(
    'POST',
    '/portal/keys/new',
    member(async (p) => {
      if ((p.member.keys?.length ?? 0) > 0) throw new ValidationError('has_key', p.view.t('portal.keys.hasKey'));
      const { apiKey, id } = await rotateKey(ctx.store, p.member, undefined, ctx.now().toISOString());
      ctx.log.info('api key issued in the portal', { member_id: p.member.id, key_id: id });
      return newKeyPage(p.view, apiKey, false);
    }),
  );
}
