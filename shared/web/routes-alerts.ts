// E-mail alerts over HTTP: the public subscription API and the pages behind the links in mails, and the
// admin's view (outbox, queue and dead letters, a subscriber's data). No public answer ever contains an
// address or says whether one is subscribed.
import { normaliseAddress } from '../alerts/address.ts';
import { memberLabels, type AlertsContext } from '../alerts/context.ts';
import { linksFor } from '../alerts/deliver.ts';
import { savePreferences, subscriptionForLink, unsubscribe } from '../alerts/manage.ts';
import { confirmSubscription, requestSubscription } from '../alerts/subscribe.ts';
import { deleteSubscriberByAddress, exportSubscriber } from '../alerts/subscribers.ts';
import { HubError, ValidationError, toHubError } from '../errors.ts';
import { MailError } from '../ports/mailer.ts';
import type { Authenticator } from '../http/auth.ts';
import { errorPage, type PageLocale } from './pages/token-page.ts';
import { confirmedPage, manageFormPage, unsubscribeFormPage, unsubscribedPage } from './pages/subscription.ts';
import { parseLimit } from '../http/params.ts';
import type { Router } from '../http/router.ts';
import { json, readJson, type HttpRequest, type HttpResponse } from '../http/types.ts';
import { pageLanguage } from './respond.ts';

export interface AlertsHttp {
  ctx: AlertsContext;
  /** The local outbox, when mail goes there. */
  outbox?: { list(limit: number): Promise<unknown[]> };
}

const ACCEPTED = {
  status: 'pending',
  message: 'Thank you. If this address can receive our e-mails, a message with a confirmation link is on its way. Nothing else is sent until the link is followed.',
};

/** A form post (application/x-www-form-urlencoded) as the input the use cases take. */
function formInput(req: HttpRequest): Record<string, unknown> {
  const form = new URLSearchParams(req.body ?? '');
  // Languages come as boxes (several fields) or as one comma-separated text.
  return { members: form.getAll('members'), categories: form.get('categories') ?? '', languages: form.getAll('languages').join(','), keywords: form.get('keywords') ?? '', frequency: form.get('frequency') ?? undefined };
}

/** The reader's language, and this page's address for the language switch to return to. */
function localeOf(req: HttpRequest): PageLocale {
  const q = req.query.toString();
  return { lang: pageLanguage(req).lang, path: `${req.path}${q ? `?${q}` : ''}` };
}

async function asPage(ctx: AlertsContext, req: HttpRequest, work: (locale: PageLocale) => Promise<HttpResponse>): Promise<HttpResponse> {
  const locale = localeOf(req);
  try {
    return await work(locale);
  } catch (err) {
    const e = toHubError(err);
    if (e.kind !== 'validation' && e.kind !== 'not_found') ctx.log.error('alerts page failed', { error: e.message });
    return errorPage(e, locale);
  }
}

export function registerAlertRoutes(router: Router, alerts: AlertsHttp, auth: Authenticator): void {
  const { ctx } = alerts;

  router.on('POST', '/api/subscriptions', async (req) => {
    try {
      await requestSubscription(ctx, readJson(req));
    } catch (err) {
      if (err instanceof MailError) {
        ctx.log.error('confirmation mail not sent', { error: err.message, failure: err.failure });
        return json(503, { error: { code: 'mail_unavailable', message: 'The confirmation e-mail could not be sent just now. Please try again in a few minutes.' } }, { 'retry-after': '300' });
      }
      throw err;
    }
    return json(202, ACCEPTED);
  });

  router.on('GET', '/subscriptions/confirm', (req) =>
    asPage(ctx, req, async (locale) => {
      const { outcome, subscription } = await confirmSubscription(ctx, req.query.get('token'));
      return confirmedPage(outcome, subscription, await memberLabels(ctx), (await linksFor(ctx, subscription)).manage, locale);
    }),
  );

  const manage = (req: HttpRequest, save: boolean) =>
    asPage(ctx, req, async (locale) => {
      const token = req.query.get('token') ?? '';
      let sub = await subscriptionForLink(ctx, token, 'manage');
      const view = { members: await ctx.members(), token, unsubscribeUrl: (await linksFor(ctx, sub)).unsubscribe, locale };
      if (!save) return manageFormPage({ ...view, sub });
      try {
        sub = await savePreferences(ctx, token, formInput(req));
      } catch (err) {
        if (err instanceof HubError && err.code === 'invalid_subscription') return manageFormPage({ ...view, sub, problems: { code: err.code, list: (err.details?.problems as string[] | undefined) ?? [] }, status: 422 });
        throw err;
      }
      return manageFormPage({ ...view, sub, saved: true });
    });
  router.on('GET', '/subscriptions/manage', (req) => manage(req, false));
  router.on('POST', '/subscriptions/manage', (req) => manage(req, true));

  router.on('GET', '/unsubscribe', (req) =>
    asPage(ctx, req, async (locale) => {
      const token = req.query.get('token') ?? '';
      await ctx.tokens.verify(token, 'unsubscribe', ctx.now());
      return unsubscribeFormPage(token, locale);
    }),
  );
  // The RFC 8058 one-click target: mail programs POST "List-Unsubscribe=One-Click" here, with no
  // session and no confirmation step.
  router.on('POST', '/unsubscribe', (req) =>
    asPage(ctx, req, async (locale) => {
      await unsubscribe(ctx, req.query.get('token'));
      return unsubscribedPage(locale);
    }),
  );

  router.on('GET', '/api/outbox', async (req) => {
    await auth.admin(req);
    if (!alerts.outbox) return json(404, { error: { code: 'no_outbox', message: `Mail goes out through ${ctx.mailer.transport.toUpperCase()}; there is no outbox.` } });
    const limit = parseLimit(req.query.get('limit'), 50, 500);
    return json(200, { items: await alerts.outbox.list(limit) });
  });

  router.on('GET', '/api/alerts/status', async (req) => {
    await auth.admin(req);
    const depth = ctx.queue ? await ctx.queue.depth() : undefined;
    return json(200, {
      transport: ctx.mailer.transport,
      mail_service: { state: ctx.health.state, since: ctx.health.since ?? null, last_error: ctx.health.lastError ?? null, deferred_messages: ctx.health.deferredMessages, allowances_not_restored: ctx.health.allowancesNotRestored },
      queue: depth ? { visible: depth.queue.visible, in_flight: depth.queue.inFlight, delayed: depth.queue.delayed } : null,
      dead_letters: depth ? depth.deadLetters : null,
    });
  });

  router.on('GET', '/api/alerts/dead-letters', async (req) => {
    await auth.admin(req);
    if (!ctx.queue) return json(404, { error: { code: 'no_queue', message: 'The alerts queue is not reachable from here.' } });
    const { total, items } = await ctx.queue.listDeadLetters(parseLimit(req.query.get('limit'), 20, 100));
    return json(200, {
      total,
      items: items.map((d) => ({ message_id: d.messageId, publication_id: d.publicationId ?? null, title: d.title ?? null, sent_at: d.sentAt ?? null, receive_count: d.receiveCount ?? null })),
    });
  });

  router.on('POST', '/api/alerts/dead-letters/redrive', async (req) => {
    await auth.admin(req);
    if (!ctx.queue) return json(404, { error: { code: 'no_queue', message: 'The alerts queue is not reachable from here.' } });
    const moved = await ctx.queue.redriveDeadLetters(parseLimit(req.query.get('limit'), 100, 1000));
    ctx.log.info('dead letters moved back to the alerts queue', { message_count: moved });
    return json(200, { moved });
  });

  router.on('GET', '/api/subscribers/{email}', async (req, { email }) => {
    await auth.admin(req);
    return json(200, await exportSubscriber(ctx, email!));
  });

  router.on('DELETE', '/api/subscribers/{email}', async (req, { email }) => {
    await auth.admin(req);
    await deleteSubscriberByAddress(ctx, email!);
    await ctx.mailer.forget?.(normaliseAddress(email));
    return { status: 204, headers: {}, body: '' };
  });

  // The same two with the address in the body: request paths end up in access logs (CloudFront's
  // among them), bodies do not. Use these wherever the hub sits behind a logging proxy.
  const addressIn = (req: HttpRequest): string => {
    const email = readJson(req).email;
    if (typeof email !== 'string' || email.trim() === '') throw new ValidationError('invalid_email', 'Give the address as "email" in a JSON body.');
    return email;
  };
  router.on('POST', '/api/subscribers/export', async (req) => {
    await auth.admin(req);
    return json(200, await exportSubscriber(ctx, addressIn(req)));
  });
  router.on('POST', '/api/subscribers/delete', async (req) => {
    await auth.admin(req);
    const email = addressIn(req);
    await deleteSubscriberByAddress(ctx, email);
    await ctx.mailer.forget?.(normaliseAddress(email));
    return { status: 204, headers: {}, body: '' };
  });
}
