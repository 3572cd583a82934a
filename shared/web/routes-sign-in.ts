// Signing in and out of the member portal and the secretariat's pages: the forms post here, and a
// session cookie is set only after the key, the mailed link or the admin token checked out.
import { AuthError, ValidationError } from '../errors.ts';
import type { Router } from '../http/router.ts';
import { textField } from './forms.ts';
import { adminSignInPage, linkConfirmPage, linkSentPage, memberSignInPage } from './pages/sign-in.ts';
import { endSession, pageRoute, startSession, type PortalDeps } from './portal-context.ts';
// The portal's and the secretariat's messages (loaded with the signed-in pages only).
import '../i18n/portal.ts';

export function registerSignInRoutes(router: Router, deps: PortalDeps): void {
  router.on(
    'POST',
    '/portal/sign-in',
    pageRoute(deps, 'portal', async (p) => {
      try {
        return await startSession(deps, await deps.signIn.withKey(textField(p.form, 'key', 200)), '/portal');
      } catch (err) {
        if (!(err instanceof AuthError)) throw err;
        return memberSignInPage(p.view, { problem: p.view.t('signin.key.wrong'), form: 'key', status: 401 });
      }
    }),
  );

  router.on(
    'POST',
    '/portal/sign-in/link',
    pageRoute(deps, 'portal', async (p) => {
      const email = textField(p.form, 'email', 254);
      try {
        await deps.signIn.mailLink(email, p.view.lang);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return memberSignInPage(p.view, { problem: p.view.t('signin.link.invalid'), form: 'link', email, status: 422 });
      }
      return linkSentPage(p.view);
    }),
  );

  router.on(
    'GET',
    '/portal/sign-in/link',
    pageRoute(deps, 'portal', async (p) => {
      const token = p.req.query.get('token');
      if (!token) throw new ValidationError('invalid_link', p.view.t('signin.confirm.missing'));
      return linkConfirmPage(p.view, token);
    }),
  );

  router.on(
    'POST',
    '/portal/sign-in/link/use',
    pageRoute(deps, 'portal', async (p) => startSession(deps, await deps.signIn.withLink(p.form.get('token')), '/portal')),
  );

  router.on(
    'POST',
    '/portal/sign-out',
    pageRoute(deps, 'portal', async () => endSession(deps, '/portal')),
  );

  router.on(
    'POST',
    '/admin/sign-in',
    pageRoute(deps, 'admin', async (p) => {
      try {
        return await startSession(deps, await deps.signIn.asAdmin(textField(p.form, 'token', 500)), '/admin');
      } catch (err) {
        if (!(err instanceof AuthError)) throw err;
        return adminSignInPage(p.view, p.view.t('signin.admin.wrong'), 401);
      }
    }),
  );

}
