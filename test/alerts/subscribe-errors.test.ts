// A confirmation mail that cannot be sent gives the reader's hourly allowance back; when that write
// fails too, the loss is logged (without the address) and counted on the mail service's health.
// Real dynalite and a real SMTP server on loopback refusing the recipient; the one write that gives
// the allowance back is made to fail at the store port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubscriptionStore } from '../../shared/adapters/dynamo/subscription-store.ts';
import { SmtpMailer } from '../../shared/adapters/mail/smtp-mailer.ts';
import { MailHealth, type AlertsContext } from '../../shared/alerts/context.ts';
import { requestSubscription } from '../../shared/alerts/subscribe.ts';
import { TokenService } from '../../shared/alerts/tokens.ts';
import { createLogger } from '../../shared/log.ts';
import type { SubscriptionStore } from '../../shared/ports/subscriptions.ts';
import { startTestDynamo, type DynamoTestContext } from '../helpers/dynamo.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';
import { alertMails } from '../../shared/web/mail/alert-mail.ts';

let db: DynamoTestContext;
let smtp: TestSmtpServer;
let mailer: SmtpMailer;

beforeAll(async () => {
  db = await startTestDynamo();
  smtp = await startSmtpServer();
  mailer = new SmtpMailer(smtp.url, { timeoutMs: 2000 });
});

afterAll(async () => {
  mailer?.close();
  await smtp?.stop();
  await db?.teardown();
});

describe('requesting a subscription when the mail fails', () => {
  it('logs and counts an allowance it could not give back', async () => {
    const real = createSubscriptionStore(db.client, db.tableName);
    const subscriptions: SubscriptionStore = Object.create(real, {
      saveSubscription: { value: async () => Promise.reject(new Error('ProvisionedThroughputExceededException: Rate of requests exceeds the allowed throughput')) },
    }) as SubscriptionStore;
    const lines: Record<string, unknown>[] = [];
    const ctx: AlertsContext = {
      subscriptions,
      mailer,
      mails: alertMails,
      tokens: new TokenService(() => 'subscribe-errors-secret-0123456789abcdef'),
      members: async () => [],
      log: createLogger({ write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }),
      now: () => new Date('2026-11-02T09:00:00Z'),
      mail: { from: 'ICAT alerts <alerts@hub.example>', publicUrl: 'https://hub.example', domain: 'hub.example', unsubscribeMailto: 'alerts@hub.example' },
      health: new MailHealth(),
      retryBaseSeconds: 1,
    };
    smtp.refuse.set('bea@example.org', 550);
    await expect(requestSubscription(ctx, { email: 'bea@example.org', frequency: 'instant' })).rejects.toBeTruthy();
    expect(ctx.health.allowancesNotRestored).toBe(1);
    const lost = lines.filter((l) => l.level === 'warn');
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ allowances_not_restored: 1, error: expect.stringContaining('ProvisionedThroughputExceeded') });
    expect(JSON.stringify(lines)).not.toContain('bea@example.org');
  });
});
