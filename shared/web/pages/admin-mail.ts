// Mail: the mail service as the alerts worker last saw it, the alerts queue, its dead letters (with
// the button that moves them back once the cause is fixed), and the local outbox.
import type { OutboxEntry } from '../../adapters/mail/outbox-mailer.ts';
import type { HttpResponse } from '../../http/types.ts';
import type { DeadLetter, QueueDepth } from '../../ports/mailer.ts';
import { html, type SafeHtml } from '../html.ts';
import { adminNav } from './admin.ts';
import { notice, pageResponse, postButton, when, type View } from './portal-parts.ts';
import '../../i18n/portal.ts';

export interface MailInput {
  /** Absent when the hub runs without e-mail alerts. */
  transport?: string;
  health?: { state: 'unknown' | 'ok' | 'unavailable'; since?: string; lastError?: string; deferredMessages: number };
  queue?: QueueDepth;
  deadLetters?: { total: number; items: DeadLetter[] };
  /** Absent when mail goes out through SMTP or SES. */
  outbox?: OutboxEntry[];
  notice?: string;
}

function deadLetterSection(v: View, d: MailInput): SafeHtml {
  const { t } = v;
  if (!d.deadLetters) return html`<p>${t('admin.mail.noQueue')}</p>`;
  const { total, items } = d.deadLetters;
  if (total === 0) return html`<p>${t('admin.mail.noDeadLetters')}</p>`;
  const rows = items.map((x) => html`<tr><td>${x.title ?? x.publicationId ?? x.messageId}</td><td>${when(v, x.sentAt)}</td><td>${x.receiveCount ?? '–'}</td></tr>`);
  return html`<div class="table-scroll"><table><caption>${t('admin.mail.deadCaption', { shown: items.length, total })}</caption>
<thead><tr><th scope="col">${t('admin.col.publication')}</th><th scope="col">${t('admin.col.sent')}</th><th scope="col">${t('admin.col.receives')}</th></tr></thead>
<tbody>${rows}</tbody></table></div>
<p>${t('admin.mail.redriveLead')}</p>
${postButton(v, '/admin/mail/redrive', t('admin.mail.redrive'))}`;
}

function outboxSection(v: View, outbox: OutboxEntry[]): SafeHtml {
  const { t } = v;
  if (outbox.length === 0) return html`<p>${t('admin.mail.outboxEmpty')}</p>`;
  const rows = outbox.map((m) => html`<tr><td>${when(v, m.date)}</td><td>${m.to}</td><td>${m.subject}</td><td><code>${m.file}</code></td></tr>`);
  return html`<div class="table-scroll"><table><caption>${t('admin.mail.outboxCaption', { n: outbox.length })}</caption>
<thead><tr><th scope="col">${t('admin.col.date')}</th><th scope="col">${t('admin.col.to')}</th><th scope="col">${t('admin.col.subject')}</th><th scope="col">${t('admin.col.file')}</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

export function mailPage(v: View, d: MailInput): HttpResponse {
  const { t } = v;
  const h = d.health;
  const service = !d.transport || !h
    ? html`<p>${t('admin.mail.noAlerts')}</p>`
    : html`<dl class="facts">
<dt>${t('admin.mail.transport')}</dt><dd>${d.transport}</dd>
<dt>${t('admin.mail.state')}</dt><dd><span class="status status-${h.state === 'ok' ? 'ok' : h.state === 'unavailable' ? 'error' : 'paused'}">${t(`admin.mail.state.${h.state}`)}</span>${h.since ? html` ${t('portal.feed.since')} ${when(v, h.since)}` : ''}</dd>
${h.lastError ? html`<dt>${t('admin.mail.lastError')}</dt><dd>${h.lastError}</dd>` : ''}
<dt>${t('admin.mail.deferred')}</dt><dd>${h.deferredMessages}</dd>
${d.queue ? html`<dt>${t('admin.mail.queue')}</dt><dd>${t('admin.mail.queueValue', { visible: d.queue.visible, inFlight: d.queue.inFlight, delayed: d.queue.delayed })}</dd>` : ''}
</dl>`;
  const main = html`<h1>${t('admin.mail.title')}</h1>
${adminNav(v, 'mail')}
${notice(d.notice)}
<section aria-labelledby="service-h"><h2 id="service-h">${t('admin.mail.service')}</h2>${service}</section>
<section aria-labelledby="dead-h"><h2 id="dead-h">${t('admin.mail.deadLetters')}</h2>${deadLetterSection(v, d)}</section>
<section aria-labelledby="outbox-h"><h2 id="outbox-h">${t('admin.mail.outbox')}</h2>
${d.outbox ? html`<p>${t('admin.mail.outboxLead')}</p>${outboxSection(v, d.outbox)}` : html`<p>${t('admin.mail.noOutbox', { transport: d.transport ?? '–' })}</p>`}</section>`;
  return pageResponse(v, { title: t('admin.mail.title'), main, nav: 'admin' });
}
