// What the alert use cases need, built once per process (local hub, Lambda) from validated
// configuration, like HubContext for polling.
import type { Logger } from '../log.ts';
import type { Member } from '../model.ts';
import type { AlertQueue, Mailer } from '../ports/mailer.ts';
import type { SubscriptionStore } from '../ports/subscriptions.ts';
import type { AlertMails, MailSettings } from './mails.ts';
import type { TokenService } from './tokens.ts';

/** The mail service as this process last saw it; shown to the admin. */
export class MailHealth {
  state: 'unknown' | 'ok' | 'unavailable' = 'unknown';
  since?: string;
  lastError?: string;
  /** Messages put back because the mail service was unavailable, since the process started. */
  deferredMessages = 0;
  /** Confirmation mails that failed and whose hourly allowance could not be given back, since the process started. */
  allowancesNotRestored = 0;

  ok(now: Date): void {
    if (this.state !== 'ok') this.since = now.toISOString();
    this.state = 'ok';
  }

  unavailable(now: Date, error: string): void {
    if (this.state !== 'unavailable') this.since = now.toISOString();
    this.state = 'unavailable';
    this.lastError = error;
  }
}

export interface AlertsContext {
  subscriptions: SubscriptionStore;
  mailer: Mailer;
  tokens: TokenService;
  /** Member names for subjects and pages, and the ids a filter may name. */
  members: () => Promise<Member[]>;
  log: Logger;
  now: () => Date;
  mail: MailSettings;
  /** Renders alerts, roll-ups, digests and confirmations (shared/web/mail/). */
  mails: AlertMails;
  health: MailHealth;
  /** The alerts queue and its DLQ, where this process can reach them. */
  queue?: AlertQueue;
  /** First delay before a message is tried again while the mail service is unavailable; doubles, at most 15 minutes. */
  retryBaseSeconds: number;
}

/** Delay before attempt `attempt` (0-based) while the mail service is unavailable. */
export function retryDelaySeconds(baseSeconds: number, attempt: number): number {
  return Math.max(1, Math.min(900, Math.round(baseSeconds * 2 ** Math.min(attempt, 20))));
}

export async function memberLabels(ctx: AlertsContext): Promise<(id: string) => string> {
  const members = await ctx.members();
  const names = new Map(members.map((m) => [m.id, m.acronym ?? m.name]));
  return (id) => names.get(id) ?? id.toUpperCase();
}
