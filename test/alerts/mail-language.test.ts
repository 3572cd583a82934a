// Mails in the subscriber's language: the language of the request (the page's, or `language` in the
// API body) is stored with the subscription, and the confirmation, alerts and digests follow it, with
// dates, numbers and plurals written that way. Real dynalite and a real SMTP server on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpMailer } from '../../shared/adapters/mail/smtp-mailer.ts';
import type { AlertsContext } from '../../shared/alerts/context.ts';
import { runDigests } from '../../shared/alerts/digest.ts';
import { deliverAnnouncements } from '../../shared/alerts/instant.ts';
import { confirmSubscription, requestSubscription } from '../../shared/alerts/subscribe.ts';
import { createLogger } from '../../shared/log.ts';
import type { Member } from '../../shared/model.ts';
import type { AlertPublication } from '../../shared/ports/subscriptions.ts';
import { startTestDynamo, type DynamoTestContext } from '../helpers/dynamo.ts';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../helpers/smtp.ts';
import { testAlertsContext } from '../helpers/alerts-context.ts';

let db: DynamoTestContext;
let smtp: TestSmtpServer;
let ctx: AlertsContext;
let now = new Date('2026-11-02T09:00:00Z');
const members: Member[] = ['unodc', 'iom'].map((id) => ({ id, name: id.toUpperCase(), acronym: id.toUpperCase(), candidateFeeds: [], createdAt: '2026-01-01T00:00:00.000Z', active: true }));

const pub = (id: string, member: string, over: Partial<AlertPublication> = {}): AlertPublication => ({
  id, title: `Paper ${id}`, link: `https://${member}.example/${id}`, members: [member], categories: [], enclosures: [], firstSeen: now.toISOString(), published: now.toISOString(), ...over,
});
const confirmToken = (mail: ReceivedMail) => new URL(/https:\/\/hub\.example\/subscriptions\/confirm\?token=[\w.-]+/.exec(mail.text)![0]).searchParams.get('token')!;

async function subscribe(email: string, input: Record<string, unknown>): Promise<ReceivedMail> {
  await requestSubscription(ctx, { email, ...input });
  const [mail] = smtp.to(email);
  await confirmSubscription(ctx, confirmToken(mail!));
  return mail!;
}

beforeAll(async () => {
  db = await startTestDynamo();
  smtp = await startSmtpServer();
  ctx = testAlertsContext({ db, smtpUrl: smtp.url, members: async () => members, now: () => now, log: createLogger({ level: 'error', write: () => undefined }) });
});

afterAll(async () => {
  (ctx?.mailer as SmtpMailer | undefined)?.close();
  await smtp?.stop();
  await db?.teardown();
});

describe('mails in the language of the request', () => {
  it('writes a French subscriber’s confirmation and alerts in French, with French dates', async () => {
    now = new Date('2026-11-02T09:00:00Z');
    const confirm = await subscribe('fleur@example.org', { members: ['unodc'], frequency: 'instant', language: 'fr' });
    expect(confirm.subject).toBe('[ICAT] Confirmez vos alertes sur les publications');
    expect(confirm.text).toContain('Pour confirmer, ouvrez ce lien : https://hub.example/subscriptions/confirm?token=');
    expect(confirm.text).toContain('Le lien expire dans 7 jours.');
    expect(confirm.text).toContain('Membres : UNODC');
    expect(confirm.html).toContain('<html lang="fr">');
    expect(confirm.html).toContain('Confirmer mes alertes');

    now = new Date('2026-11-02T10:00:00Z');
    await deliverAnnouncements(ctx, [pub('f1', 'unodc', { title: 'Rapport mondial', published: '2026-11-02T08:00:00.000Z' })]);
    const alert = smtp.to('fleur@example.org')[1]!;
    expect(alert.subject).toBe('[ICAT] UNODC : Rapport mondial');
    expect(alert.text).toContain('UNODC · 2 novembre 2026');
    expect(alert.text).toContain('alertes immédiates');
    expect(alert.text).toContain('Se désabonner : https://hub.example/unsubscribe?token=');
    expect(alert.html).toContain('<html lang="fr">');
    expect(alert.html).not.toMatch(/November|Unsubscribe/);
  });

  it('writes a Spanish subscriber’s confirmation and digest in Spanish, with Spanish dates and plurals', async () => {
    now = new Date('2026-11-10T10:00:00Z');
    const confirm = await subscribe('sol@example.org', { members: ['unodc', 'iom'], frequency: 'daily', language: 'es' });
    expect(confirm.subject).toBe('[ICAT] Confirme sus alertas de publicaciones');
    expect(confirm.text).toContain('El enlace caduca en 7 días.');
    expect(confirm.text).toContain('Frecuencia: Diaria');

    now = new Date('2026-11-10T11:00:00Z');
    await deliverAnnouncements(ctx, [pub('s1', 'unodc', { title: 'Informe', published: '2026-11-09T12:00:00.000Z' }), pub('s2', 'iom', { title: 'Rutas' })]);
    now = new Date('2026-11-11T07:01:00Z');
    expect((await runDigests(ctx)).mailed).toBe(1);
    const digest = smtp.to('sol@example.org')[1]!;
    expect(digest.subject).toBe('[ICAT] Resumen diario, 11 de noviembre de 2026: 2 publicaciones nuevas');
    expect(digest.text).toContain('UNODC · 9 de noviembre de 2026');
    expect(digest.text).toContain('resumen diario');
    expect(digest.html).toContain('<html lang="es">');
  });

  it('takes the language of a subscription made on a regional page ("fr-CA"), and refuses one it does not write', async () => {
    now = new Date('2026-11-12T09:00:00Z');
    const confirm = await subscribe('claude@example.org', { frequency: 'weekly', language: 'fr-CA' });
    expect(confirm.subject).toBe('[ICAT] Confirmez vos alertes sur les publications');
    await expect(requestSubscription(ctx, { email: 'hans@example.org', frequency: 'weekly', language: 'de' })).rejects.toMatchObject({ code: 'invalid_subscription' });
    expect(smtp.to('hans@example.org')).toHaveLength(0);
  });

  it('keeps writing English when no language is given', async () => {
    now = new Date('2026-11-12T09:00:00Z');
    const confirm = await subscribe('ann@example.org', { members: ['iom'], frequency: 'instant' });
    expect(confirm.subject).toBe('[ICAT] Confirm your publication alerts');
    expect(confirm.text).toContain('The link expires in 7 days.');
    now = new Date('2026-11-12T10:00:00Z');
    await deliverAnnouncements(ctx, [pub('e1', 'iom', { published: '2026-11-12T08:00:00.000Z' })]);
    const alert = smtp.to('ann@example.org')[1]!;
    expect(alert.subject).toBe('[ICAT] IOM: Paper e1');
    expect(alert.text).toContain('IOM · 12 November 2026');
  });
});
