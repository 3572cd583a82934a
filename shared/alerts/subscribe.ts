// Subscribing is double opt-in: a request stores what was asked for as pending and mails a
// confirmation link; nothing else is ever sent before that link is followed. The answer is the same
// whether the address is new, pending, active or suspended, and an address gets at most one
// confirmation mail an hour (the rate limit is a conditional write, so two requests at once send one).
import { randomBytes } from 'node:crypto';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { Frequency, Subscription } from '../ports/subscriptions.ts';
import { normaliseAddress } from './address.ts';
import { memberLabels, type AlertsContext } from './context.ts';
import { updateSubscription } from './deliver.ts';
import { parseChoice, type SubscriptionChoice } from './filters.ts';
import { LANGUAGES, supportedLanguage, type Language } from '../i18n/languages.ts';
import { nextDigestTime } from './delivery-schedule.ts';
import { CONFIRM_TOKEN_SECONDS } from './tokens.ts';

export const CONFIRMATION_INTERVAL_MS = 3600_000;

const random = (bytes: number) => randomBytes(bytes).toString('base64url');

export async function knownMemberIds(ctx: AlertsContext): Promise<Set<string>> {
  return new Set((await ctx.members()).map((m) => m.id));
}

/** The subscription with a new choice in force; a digest window starts now unless the frequency stays. */
export function applyChoice(s: Subscription, choice: SubscriptionChoice, now: Date): Subscription {
  const keepsDigest = s.status === 'active' && s.frequency === choice.frequency && !!s.nextDigestAt;
  const digest = (f: Frequency) => f !== 'instant';
  return {
    ...s,
    filters: choice.filters,
    frequency: choice.frequency,
    lastDigestAt: digest(choice.frequency) ? (keepsDigest ? s.lastDigestAt : now.toISOString()) : undefined,
    nextDigestAt: digest(choice.frequency) ? (keepsDigest ? s.nextDigestAt : nextDigestTime(choice.frequency as Exclude<Frequency, 'instant'>, now).toISOString()) : undefined,
  };
}

/** The language mails are to be written in: `language` as given ("fr", "fr-CA"), English when absent. */
export function requestLanguage(raw: unknown): Language {
  if (raw === undefined || raw === null || raw === '') return 'en';
  const lang = supportedLanguage(raw);
  if (!lang) {
    const problem = `language: one of ${LANGUAGES.map((l) => `"${l}"`).join(', ')}`;
    throw new ValidationError('invalid_subscription', `The subscription is not valid: ${problem}.`, { details: { problems: [problem] } });
  }
  return lang;
}

/**
 * Stores the request as pending and mails the confirmation link, in `input.language` (the page's
 * language, or the API body's `language`; English when absent): the subscription's mails follow it.
 */
export async function requestSubscription(ctx: AlertsContext, input: Record<string, unknown>): Promise<void> {
  const email = normaliseAddress(input.email);
  const choice = parseChoice(input, await knownMemberIds(ctx));
  const language = requestLanguage(input.language);
  const id = await ctx.tokens.addressId(email);
  const now = ctx.now();
  const at = now.toISOString();
  const pending = { ...choice, language, nonce: random(12), requestedAt: at };

  const created = await ctx.subscriptions.createSubscription({
    id, email, status: 'pending', ...choice, language, gen: random(9), createdAt: at, updatedAt: at, pending, lastConfirmationSentAt: at, recentAlerts: [], rev: 1,
  });
  const sub = created
    ? await ctx.subscriptions.getSubscription(id)
    : await updateSubscription(ctx, id, (s) => {
        const recent = s.lastConfirmationSentAt && now.getTime() - Date.parse(s.lastConfirmationSentAt) < CONFIRMATION_INTERVAL_MS;
        return recent ? undefined : { ...s, pending, lastConfirmationSentAt: at };
      });
  if (!sub || sub.pending?.nonce !== pending.nonce) {
    ctx.log.info('confirmation not sent: one was sent less than an hour ago', { subscription_id: id.slice(0, 12) });
    return;
  }
  const token = await ctx.tokens.sign({ purpose: 'confirm', subscriptionId: id, gen: sub.gen, nonce: pending.nonce, expiresAt: Math.floor(now.getTime() / 1000) + CONFIRM_TOKEN_SECONDS });
  const message = ctx.mails.confirmation({
    settings: ctx.mail, to: email, subscriptionId: id, nonce: pending.nonce, confirmUrl: `${ctx.mail.publicUrl}/subscriptions/confirm?token=${token}`,
    filters: choice.filters, frequency: choice.frequency, label: await memberLabels(ctx), now, language, expiresInDays: Math.round(CONFIRM_TOKEN_SECONDS / 86_400),
  });
  try {
    await ctx.mailer.send(message);
    ctx.health.ok(ctx.now());
  } catch (err) {
    // Not sent: the hour's allowance goes back, so the reader can try again at once.
    await updateSubscription(ctx, id, (s) => (s.pending?.nonce === pending.nonce ? { ...s, lastConfirmationSentAt: undefined } : undefined)).catch((restoreErr: unknown) => {
      // The mail error below is what the reader hears about; this one costs them their retry for up to an hour.
      ctx.health.allowancesNotRestored += 1;
      ctx.log.warn('confirmation not sent and the hourly allowance not given back: the reader must wait up to an hour to ask again', {
        subscription_id: id.slice(0, 12),
        error: restoreErr instanceof Error ? restoreErr.message : String(restoreErr),
        allowances_not_restored: ctx.health.allowancesNotRestored,
      });
    });
    throw err;
  }
  ctx.log.info('confirmation mailed', { subscription_id: id.slice(0, 12), created });
}

export type ConfirmOutcome = 'confirmed' | 'already_active' | 'superseded';

export async function confirmSubscription(ctx: AlertsContext, token: unknown): Promise<{ outcome: ConfirmOutcome; subscription: Subscription }> {
  const now = ctx.now();
  const claims = await ctx.tokens.verify(token, 'confirm', now);
  const sub = await ctx.subscriptions.getSubscription(claims.subscriptionId);
  if (!sub || sub.gen !== claims.gen) throw new NotFoundError('This link is no longer valid. Subscribe again to get a new one.', 'link_invalid');
  let confirmed = false;
  const saved = await updateSubscription(ctx, sub.id, (s) => {
    if (!s.pending || s.pending.nonce !== claims.nonce) return undefined;
    confirmed = true;
    const { pending } = s;
    return {
      ...applyChoice(s, pending, now),
      language: pending.language ?? s.language,
      status: 'active',
      pending: undefined,
      confirmedAt: now.toISOString(),
      suspendedAt: undefined,
      suspendedReason: undefined,
    };
  });
  if (!saved) throw new NotFoundError('This link is no longer valid. Subscribe again to get a new one.', 'link_invalid');
  if (confirmed) ctx.log.info('subscription confirmed', { subscription_id: sub.id.slice(0, 12), frequency: saved.frequency });
  return { outcome: confirmed ? 'confirmed' : saved.status === 'active' ? 'already_active' : 'superseded', subscription: saved };
}
