// The alerts form: /subscribe shows it (and "check your mail" after a post), POST /subscribe checks
// the CSRF pair and every field, then asks the alerts use case for a confirmation mail.
import { normaliseAddress } from '../alerts/address.ts';
import type { AlertsContext } from '../alerts/context.ts';
import { parseChoice } from '../alerts/filters.ts';
import { knownMemberIds, requestSubscription } from '../alerts/subscribe.ts';
import { HubError } from '../errors.ts';
import type { Router } from '../http/router.ts';
import type { HttpRequest, HttpResponse } from '../http/types.ts';
import { MailError } from '../ports/mailer.ts';
import type { Frequency } from '../ports/subscriptions.ts';
import { parseForm } from './forms.ts';
import { messageMain, problemFields, sentMain, subscribeMain, type ChoiceField, type ChoiceValues } from './pages/subscribe-form.ts';
import type { PublicationIndex } from '../app/publication-index.ts';
import { htmlResponse, redirect } from './respond.ts';
import { pageOf, render, type Page } from './page.ts';
import { checkCsrf, CsrfError, csrfTokenFor, withCsrfCookie } from './security.ts';

export interface SubscribeRoutesDeps {
  publications: PublicationIndex;
  /** Cookies carry Secure (see respond.ts secureCookies). */
  secure: boolean;
  /** E-mail alerts; absent: the page says they are not offered here. */
  alerts?: AlertsContext;
}

function formValues(form: URLSearchParams): ChoiceValues {
  const list = (name: string) => (form.get(name) ?? '').split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
  const frequency = form.get('frequency') ?? undefined;
  return {
    email: (form.get('email') ?? '').trim().slice(0, 254),
    frequency: ['instant', 'daily', 'weekly'].includes(frequency ?? '') ? (frequency as Frequency) : undefined,
    filters: { members: form.getAll('members'), languages: form.getAll('languages'), categories: list('categories'), keywords: list('keywords') },
  };
}

export function registerSubscribeRoutes(router: Router, deps: SubscribeRoutesDeps): void {
  const { publications, secure } = deps;

  const subscribePage = async (req: HttpRequest, p: Page, values: ChoiceValues, errors: Partial<Record<ChoiceField, string>>, status: number): Promise<HttpResponse> => {
    const csrf = csrfTokenFor(req);
    // Members that have joined the hub or have publications: the others have nothing to alert about yet.
    const [all, snapshot] = await Promise.all([deps.alerts!.members(), publications.snapshot()]);
    const members = all.filter((m) => m.active || snapshot.memberCounts.has(m.id));
    const main = subscribeMain({ lang: p.lang, t: p.t, members, values, errors, csrf });
    return withCsrfCookie(req, htmlResponse(status, render(p, { title: p.t('subscribe.title'), nav: 'subscribe', main, csrfToken: csrf })), secure);
  };
  const message = (p: Page, status: number, title: string, text: string) =>
    htmlResponse(status, render(p, { title, nav: 'subscribe', main: messageMain(title, text, { href: '/', label: p.t('subscribe.sent.back') }) }));

  router.on('GET', '/subscribe', async (req) => {
    const p = pageOf(req);
    if (!deps.alerts) return message(p, 503, p.t('subscribe.unavailable.title'), p.t('subscribe.unavailable.body'));
    if (req.query.get('sent') === '1') return htmlResponse(200, render(p, { title: p.t('subscribe.sent.title'), nav: 'subscribe', main: sentMain(p.t) }));
    return subscribePage(req, p, { frequency: 'daily', filters: { members: [], categories: [], languages: [], keywords: [] } }, {}, 200);
  });

  router.on('POST', '/subscribe', async (req) => {
    const p = pageOf(req);
    const alerts = deps.alerts;
    if (!alerts) return message(p, 503, p.t('subscribe.unavailable.title'), p.t('subscribe.unavailable.body'));
    let form: URLSearchParams;
    try {
      form = parseForm(req);
      checkCsrf(req, form);
    } catch (err) {
      if (err instanceof CsrfError) return message(p, 403, p.t('site.csrf.title'), p.t('site.csrf.body'));
      throw err;
    }
    const input = { email: form.get('email') ?? '', members: form.getAll('members'), categories: form.get('categories') ?? '', languages: form.getAll('languages'), keywords: form.get('keywords') ?? '', frequency: form.get('frequency') ?? undefined, language: p.lang };
    // Every problem at once: the address and the choices are checked apart before the use case runs.
    const wrong = new Set<ChoiceField>();
    const collect = (check: () => unknown) => {
      try {
        check();
      } catch (err) {
        if (!(err instanceof HubError) || err.kind !== 'validation') throw err;
        for (const f of problemFields(err.code, (err.details?.problems as string[] | undefined) ?? [])) wrong.add(f);
      }
    };
    collect(() => normaliseAddress(input.email));
    const known = await knownMemberIds(alerts);
    collect(() => parseChoice(input, known));
    const refuse = () => {
      const errors = Object.fromEntries([...wrong].map((f) => [f, p.t(`subscribe.problem.${f}`)]));
      return subscribePage(req, p, formValues(form), errors, 422);
    };
    if (wrong.size > 0) return refuse();
    try {
      await requestSubscription(alerts, input);
    } catch (err) {
      if (err instanceof MailError) {
        alerts.log.error('confirmation mail not sent', { error: err.message, failure: err.failure });
        return message(p, 503, p.t('subscribe.mailDown.title'), p.t('subscribe.mailDown.body'));
      }
      collect(() => {
        throw err;
      });
      if (wrong.size > 0) return refuse();
      throw err;
    }
    // Post, then redirect: reloading the answer does not send the form again.
    return redirect('/subscribe?sent=1');
  });
}
