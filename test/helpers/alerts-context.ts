// The alerts context of the tests that drive the alerts use cases directly: the real subscription
// store on dynalite, a real SMTP mailer on loopback, the mail templates, and a clock the test sets.
import { createSubscriptionStore } from '../../shared/adapters/dynamo/subscription-store.ts';
import { SmtpMailer } from '../../shared/adapters/mail/smtp-mailer.ts';
import { MailHealth, type AlertsContext } from '../../shared/alerts/context.ts';
import { TokenService } from '../../shared/alerts/tokens.ts';
import { silentLogger, type Logger } from '../../shared/log.ts';
import type { Member } from '../../shared/model.ts';
import type { AlertQueue } from '../../shared/ports/mailer.ts';
import { alertMails } from '../../shared/web/mail/alert-mail.ts';
import type { DynamoTestContext } from './dynamo.ts';

export interface TestAlertsOptions {
  db: DynamoTestContext;
  smtpUrl: string;
  members?: () => Promise<Member[]>;
  now?: () => Date;
  log?: Logger;
  from?: string;
  queue?: AlertQueue;
}

export function testAlertsContext(o: TestAlertsOptions): AlertsContext {
  return {
    subscriptions: createSubscriptionStore(o.db.client, o.db.tableName),
    mailer: new SmtpMailer(o.smtpUrl, { timeoutMs: 2000 }),
    mails: alertMails,
    tokens: new TokenService(() => 'alerts-test-secret-0123456789abcdef'),
    members: o.members ?? (async () => []),
    log: o.log ?? silentLogger,
    now: o.now ?? (() => new Date()),
    mail: { from: o.from ?? 'ICAT alerts <alerts@hub.example>', publicUrl: 'https://hub.example', domain: 'hub.example', unsubscribeMailto: 'alerts@hub.example' },
    health: new MailHealth(),
    ...(o.queue ? { queue: o.queue } : {}),
    retryBaseSeconds: 1,
  };
}
