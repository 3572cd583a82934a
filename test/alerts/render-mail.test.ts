import { describe, expect, it } from 'vitest';
import { composeMime } from '../../shared/adapters/mail/mime-message.ts';
import { alertMessageId, cleanSubject, renderAlertMail, renderConfirmationMail, type MailSettings } from '../../shared/web/mail/alert-mail.ts';
import type { AlertPublication } from '../../shared/ports/subscriptions.ts';
import { parseMail } from '../helpers/smtp.ts';

const settings: MailSettings = { from: 'ICAT publication alerts <alerts@hub.example>', publicUrl: 'https://hub.example', domain: 'hub.example', unsubscribeMailto: 'unsubscribe@hub.example' };
const links = { manage: 'https://hub.example/subscriptions/manage?token=m.x', unsubscribe: 'https://hub.example/unsubscribe?token=u.x' };
const names: Record<string, string> = { unodc: 'UNODC', iom: 'IOM', ilo: 'ILO' };
const label = (id: string) => names[id] ?? id.toUpperCase();
const NOW = new Date('2026-11-02T09:14:03Z');
const SUB = '0123456789abcdef0123456789abcdef01234567';

const report: AlertPublication = {
  id: 'pglotip',
  title: 'Global Report on Trafficking in Persons 2026',
  link: 'https://www.unodc.org/glotip-2026',
  summary: 'Trends and patterns in 141 countries.',
  published: '2026-11-02T09:00:00.000Z',
  members: ['unodc'],
  categories: ['Research'],
  language: 'en',
  enclosures: [{ url: 'https://www.unodc.org/glotip-2026.pdf', type: 'application/pdf', length: 12345 }, { url: 'https://www.unodc.org/cover.jpg', type: 'image/jpeg' }],
  firstSeen: '2026-11-02T09:14:03.120Z',
};
const hostile: AlertPublication = {
  id: 'phostile',
  title: '<script>alert("x")</script> & "quotes"',
  link: 'javascript:alert(1)',
  summary: '<img src=x onerror=alert(1)> Fish & chips',
  members: ['iom'],
  categories: [],
  enclosures: [{ url: 'javascript:alert(2)//.pdf', type: 'application/pdf' }],
  firstSeen: '2026-11-02T08:00:00.000Z',
};

describe('alert mails', () => {
  it('lists the newest 100 of a large roll-up, whatever order the items came in, and links the rest', () => {
    // 300 papers first seen together, published a minute apart, handed over shuffled.
    const items: AlertPublication[] = Array.from({ length: 300 }, (_, i) => ({
      ...report,
      id: `p${String(i).padStart(3, '0')}`,
      title: `Paper ${i}`,
      published: new Date(Date.parse('2026-11-02T04:00:00Z') + i * 60_000).toISOString(),
      firstSeen: '2026-11-02T09:14:03.120Z',
    }));
    const shuffled = [...items].sort((a, b) => (a.id.charCodeAt(3) * 7919 + a.id.charCodeAt(2)) % 97 - (b.id.charCodeAt(3) * 7919 + b.id.charCodeAt(2)) % 97);
    const m = renderAlertMail({ settings, to: 'reader@example.org', subscriptionId: SUB, frequency: 'instant', kind: 'rollup', items: shuffled, links, label, now: NOW });
    const listed = [...m.text.matchAll(/Paper (\d+)/g)].map((x) => Number(x[1]));
    expect(listed).toEqual(Array.from({ length: 100 }, (_, i) => 299 - i));
    expect(m.text).toContain('…and 200 more: https://hub.example/?member=unodc');
  });

  it('names the member and the title in the subject, and links everything in text and HTML', () => {
    const m = renderAlertMail({ settings, to: 'reader@example.org', subscriptionId: SUB, frequency: 'instant', kind: 'alert', items: [report], links, label, now: NOW });
    expect(m.subject).toBe('[ICAT] UNODC: Global Report on Trafficking in Persons 2026');
    expect(m.from).toBe(settings.from);
    expect(m.text).toContain('Global Report on Trafficking in Persons 2026\nUNODC · 2 November 2026 · Research\nhttps://www.unodc.org/glotip-2026');
    expect(m.text).toContain('PDF: https://www.unodc.org/glotip-2026.pdf');
    expect(m.text).not.toContain('cover.jpg');
    expect(m.text).toContain('Change what you receive: https://hub.example/subscriptions/manage?token=m.x\nUnsubscribe: https://hub.example/unsubscribe?token=u.x');
    expect(m.html).toContain('<h1><a href="https://www.unodc.org/glotip-2026">Global Report on Trafficking in Persons 2026</a></h1>');
    expect(m.html).toContain('<a href="https://www.unodc.org/glotip-2026.pdf">glotip-2026.pdf</a>');
    expect(m.html).toContain('<a href="https://hub.example/unsubscribe?token=u.x">Unsubscribe</a>');
    expect(m.html).toMatch(/^<!doctype html>\n<html lang="en">/);
  });

  it('sets the list headers of RFC 2369, 2919 and 8058', () => {
    const m = renderAlertMail({ settings, to: 'reader@example.org', subscriptionId: SUB, frequency: 'instant', kind: 'alert', items: [report], links, label, now: NOW });
    expect(m.headers).toEqual({
      'List-Unsubscribe': '<https://hub.example/unsubscribe?token=u.x>, <mailto:unsubscribe@hub.example?subject=unsubscribe>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': 'ICAT publication alerts <alerts.hub.example>',
    });
  });

  it('derives the Message-ID from the subscription and the publications', () => {
    const a = renderAlertMail({ settings, to: 'r@example.org', subscriptionId: SUB, frequency: 'instant', kind: 'alert', items: [report], links, label, now: NOW });
    const again = renderAlertMail({ settings, to: 'r@example.org', subscriptionId: SUB, frequency: 'instant', kind: 'alert', items: [report], links, label, now: new Date('2026-11-03T00:00:00Z') });
    expect(again.messageId).toBe(a.messageId);
    expect(a.messageId).toMatch(/^<alert\.0123456789abcdef\.[0-9a-f]{24}@hub\.example>$/);
    expect(alertMessageId('hub.example', `f${SUB.slice(1)}`, 'alert', [report.id])).not.toBe(a.messageId);
    expect(alertMessageId('hub.example', SUB, 'rollup', ['b', 'a'])).toBe(alertMessageId('hub.example', SUB, 'rollup', ['a', 'b']));
  });

  it('escapes everything from feeds, and links only http(s) URLs', () => {
    const m = renderAlertMail({ settings, to: 'r@example.org', subscriptionId: SUB, frequency: 'instant', kind: 'alert', items: [hostile], links, label, now: NOW });
    expect(m.html).not.toMatch(/<script|<img|javascript:/i);
    expect(m.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(m.html).toContain('&lt;img src=x onerror=alert(1)&gt; Fish &amp; chips');
    expect(m.text).not.toContain('javascript:');
    expect(cleanSubject('A\r\nBcc: x@example.org\u0000 B\u202e')).toBe('A Bcc: x@example.org B');
    expect(cleanSubject('x'.repeat(300))).toHaveLength(200);
  });

  it('rolls a burst into one mail grouped by member, newest first', () => {
    const items: AlertPublication[] = [
      { ...report, id: 'u1', title: 'Older UNODC paper', published: '2026-11-01T09:00:00.000Z' },
      { ...report, id: 'i1', title: 'IOM paper', members: ['iom'], published: '2026-11-02T08:00:00.000Z' },
      { ...report, id: 'u2', title: 'Newer UNODC paper', published: '2026-11-02T09:00:00.000Z' },
    ];
    const m = renderAlertMail({ settings, to: 'r@example.org', subscriptionId: SUB, frequency: 'instant', kind: 'rollup', items, links, label, now: NOW });
    expect(m.subject).toBe('[ICAT] 3 new publications from UNODC and IOM');
    expect(m.messageId).toMatch(/^<rollup\./);
    const order = ['== UNODC ==', 'Newer UNODC paper', 'Older UNODC paper', '== IOM ==', 'IOM paper'].map((s) => m.text.indexOf(s));
    expect(order.every((pos) => pos >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(m.html).toContain('<h2>UNODC</h2>');
    expect(m.html).toContain('<h3><a href="https://www.unodc.org/glotip-2026">Newer UNODC paper</a></h3>');
  });

  it('titles digests with their day or week', () => {
    const daily = renderAlertMail({ settings, to: 'r@example.org', subscriptionId: SUB, frequency: 'daily', kind: 'digest', items: [report], links, label, now: NOW, digestAt: new Date('2026-11-03T07:00:00Z') });
    expect(daily.subject).toBe('[ICAT] Daily digest, 3 November 2026: 1 new publication');
    expect(daily.text).toMatch(/^Daily digest, 3 November 2026: 1 new publication\n\n== UNODC ==/);
    const weekly = renderAlertMail({ settings, to: 'r@example.org', subscriptionId: SUB, frequency: 'weekly', kind: 'digest', items: [report, hostile], links, label, now: NOW, digestAt: new Date('2026-11-09T07:00:00Z') });
    expect(weekly.subject).toBe('[ICAT] Weekly digest, week to 9 November 2026: 2 new publications');
  });

  it('builds one multipart/alternative message with encoded headers', async () => {
    const m = renderAlertMail({ settings, to: 'reader@example.org', subscriptionId: SUB, frequency: 'instant', kind: 'alert', items: [{ ...report, title: 'Rapport mondial sur la traite des personnes – édition 2026' }], links, label, now: NOW });
    const raw = (await composeMime(m)).toString('utf8');
    expect(raw).toMatch(/^[\x00-\x7f]*$/); // 7-bit clean on the wire
    const parsed = parseMail(raw.replace(/\r?\n/g, '\r\n'));
    expect(parsed.contentType).toMatch(/^multipart\/alternative; boundary=/);
    expect(parsed.subject).toBe('[ICAT] UNODC: Rapport mondial sur la traite des personnes – édition 2026');
    expect(parsed.headers.get('message-id')).toBe(m.messageId);
    expect(parsed.headers.get('date')).toBe('Mon, 02 Nov 2026 09:14:03 +0000');
    expect(parsed.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(parsed.headers.get('list-unsubscribe')).toBe(m.headers['List-Unsubscribe']);
    expect(parsed.text).toBe(m.text);
    expect(parsed.html).toBe(m.html);
  });
});

describe('confirmation mails', () => {
  it('carries the link, the choice, and no list headers', () => {
    const m = renderConfirmationMail({
      settings, to: 'reader@example.org', subscriptionId: SUB, nonce: 'n1', confirmUrl: 'https://hub.example/subscriptions/confirm?token=c.x&y', now: NOW, label,
      filters: { members: ['unodc', 'ilo'], categories: ['Research'], languages: [], keywords: ['<b>forced</b>'] }, frequency: 'weekly',
    });
    expect(m.subject).toBe('[ICAT] Confirm your publication alerts');
    expect(m.text).toContain('To confirm, open this link: https://hub.example/subscriptions/confirm?token=c.x&y');
    expect(m.text).toContain('Members: UNODC, ILO');
    expect(m.html).toContain('<a href="https://hub.example/subscriptions/confirm?token=c.x&amp;y">Confirm my alerts</a>');
    expect(m.html).toContain('Keywords: &lt;b&gt;forced&lt;/b&gt;');
    expect(m.headers).toEqual({});
    expect(m.messageId).toMatch(/^<confirm\./);
  });
});
