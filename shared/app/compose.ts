// The one composition of the hub: the context of the use cases (HubContext) and the context of e-mail
// alerts (AlertsContext), built from validated configuration and the clients this process has. The
// local hub (local/runtime.ts, alerts-runtime.ts) and every Lambda function
// (lambda/lambda-context.ts, alerts-context.ts) call these two; only endpoints and clients differ.
//
// Each caller says what it needs: a process that may not announce publications is given no topic,
// and its notifier refuses; one that mails members (dead-feed notices, sign-in links) must have a
// mailer, or it does not start.
import { MailHealth, type AlertsContext } from '../alerts/context.ts';
import type { AlertMails } from '../alerts/mails.ts';
import { TokenService } from '../alerts/tokens.ts';
import type { HubConfig } from '../config.ts';
import { ConfigError, HubError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { FeedFetcher } from '../ports/fetcher.ts';
import type { PollLease } from '../ports/lease.ts';
import type { AlertQueue, Mailer } from '../ports/mailer.ts';
import type { Notifier } from '../ports/notifier.ts';
import type { HubStore, MemberStore } from '../ports/store.ts';
import type { SubscriptionStore } from '../ports/subscriptions.ts';
import type { HubContext } from './context.ts';

export interface HubNeeds {
  /** Announces publications on the topic (polling, the announcement sweep). */
  publish?: boolean;
  /** Mails members: dead-feed and recovered notices, sign-in links. */
  mail?: boolean;
}

export interface HubClients {
  store: HubStore;
  fetcher: FeedFetcher;
  lease: PollLease;
  log: Logger;
  /** Required with `publish`. */
  notifier?: Notifier;
  /** Required with `mail`. */
  mailer?: Mailer;
}

type HubSettings = Pick<HubConfig, 'pollIntervalSeconds' | 'pollConcurrency' | 'publicUrl' | 'mailFrom'> & Partial<Pick<HubConfig, 'allowPrivateNetworks'>>;

/** Stands in for the notifier where the process may not publish: a call is a wiring mistake, said loudly. */
const refusingNotifier: Notifier = {
  announce: () => Promise.reject(new HubError('internal', 'may_not_publish', 'This process may not announce publications (it was not given the topic).')),
};

export function createHubContext(config: HubSettings, clients: HubClients, needs: HubNeeds = {}): HubContext {
  const problems: string[] = [];
  if (needs.publish && !clients.notifier) problems.push('this process announces publications: the topic must be configured');
  if (needs.mail && !clients.mailer) problems.push('this process mails members: a mail transport must be configured');
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    store: clients.store,
    fetcher: clients.fetcher,
    notifier: needs.publish ? clients.notifier! : refusingNotifier,
    lease: clients.lease,
    log: clients.log,
    now: () => new Date(),
    pollIntervalSeconds: config.pollIntervalSeconds,
    pollConcurrency: config.pollConcurrency,
    publicUrl: config.publicUrl,
    // Where loopback is allowed, refusals of `localhost` say which address to use instead.
    ...(config.allowPrivateNetworks ? { allowPrivateNetworks: config.allowPrivateNetworks } : {}),
    ...(needs.mail ? { mailer: clients.mailer, mailFrom: config.mailFrom } : {}),
  };
}

export interface AlertsNeeds {
  /** Puts messages back in the alerts queue (the worker) or shows it to the admin. */
  queue?: boolean;
}

export interface AlertsClients {
  subscriptions: SubscriptionStore;
  mailer: Mailer;
  /** The mails' templates (shared/web/mail/alert-mail.ts, given by the runtime). */
  mails: AlertMails;
  /** The token-signing secret, read when first needed. */
  tokenSecret: () => Promise<string> | string;
  members: MemberStore;
  log: Logger;
  /** Required with `queue`. */
  queue?: AlertQueue;
}

type AlertsSettings = Pick<HubConfig, 'mailFrom' | 'publicUrl' | 'mailDomain' | 'mailUnsubscribeTo' | 'alertsRetrySeconds'>;

export function createAlertsContext(config: AlertsSettings, clients: AlertsClients, needs: AlertsNeeds = {}): AlertsContext {
  if (needs.queue && !clients.queue) throw new ConfigError(['this process uses the alerts queue: ALERTS_QUEUE_URL must be set']);
  return {
    subscriptions: clients.subscriptions,
    mailer: clients.mailer,
    mails: clients.mails,
    tokens: new TokenService(clients.tokenSecret),
    members: () => clients.members.listMembers(),
    log: clients.log,
    now: () => new Date(),
    mail: { from: config.mailFrom, publicUrl: config.publicUrl, domain: config.mailDomain, unsubscribeMailto: config.mailUnsubscribeTo },
    health: new MailHealth(),
    ...(clients.queue ? { queue: clients.queue } : {}),
    retryBaseSeconds: config.alertsRetrySeconds,
  };
}
