// Whole alert mails: subject, headers, multipart text + HTML. Pure: links, names and `now` come in.
//
// Every list mail carries List-Unsubscribe with an https one-click link and a mailto, and
// List-Unsubscribe-Post (RFC 8058), and List-Id (RFC 2919). The Message-ID is derived from the
// subscription and the publications, so a message sent again after a redelivery has the same id.
import { createHash } from 'node:crypto';
import type { MailMessage } from '../ports/mailer.ts';
import type { AlertFilters, AlertPublication, DeliveryKind, Frequency } from '../ports/subscriptions.ts';
import { describeFilters } from './filters.ts';
import { escapeHtml, formatDay } from './html.ts';
import { footerHtml, footerText, groupsHtml, groupsText, htmlDocument, itemHtml, itemText, type MemberLabel } from './render-parts.ts';
import { groupByMember } from './schedule.ts';

export interface MailSettings {
  /** MAIL_FROM: `Name <address>` or an address. */
  from: string;
  publicUrl: string;
  /** Right-hand side of Message-IDs and the List-Id. */
  domain: string;
  /** Address for List-Unsubscribe's mailto. */
  unsubscribeMailto: string;
}

export interface SubscriberLinks {
  manage: string;
  unsubscribe: string;
}

const MAX_LISTED = 100;

/** No line breaks or control characters, one space between words, at most 200 characters. */
export function cleanSubject(s: string): string {
  const one = s.replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, ' ').replace(/\s+/g, ' ').trim();
  return one.length > 200 ? `${one.slice(0, 199).trimEnd()}…` : one;
}

export function alertMessageId(domain: string, subscriptionId: string, kind: DeliveryKind | 'confirm', keys: string[]): string {
  const digest = createHash('sha256').update([...keys].sort().join('\n')).digest('hex').slice(0, 24);
  return `<${kind}.${subscriptionId.slice(0, 16)}.${digest}@${domain}>`;
}

export function listHeaders(settings: MailSettings, links: SubscriberLinks): Record<string, string> {
  return {
    'List-Unsubscribe': `<${links.unsubscribe}>, <mailto:${settings.unsubscribeMailto}?subject=unsubscribe>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'List-Id': `ICAT publication alerts <alerts.${settings.domain}>`,
  };
}

function listNames(ids: string[], label: MemberLabel): string {
  const names = [...new Set(ids.map(label))];
  if (names.length <= 3) return names.join(', ').replace(/, ([^,]*)$/, ' and $1');
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
}

export interface AlertMailInput {
  settings: MailSettings;
  to: string;
  subscriptionId: string;
  frequency: Frequency;
  kind: DeliveryKind;
  items: AlertPublication[];
  links: SubscriberLinks;
  label: MemberLabel;
  now: Date;
  /** Digests: the digest time the mail is for. */
  digestAt?: Date;
}

export function subjectFor(input: Pick<AlertMailInput, 'kind' | 'items' | 'label' | 'frequency' | 'digestAt'>): string {
  const { kind, items, label } = input;
  const first = items[0];
  if (kind === 'alert' && first) return cleanSubject(`[ICAT] ${label(first.members[0] ?? '')}: ${first.title}`);
  const count = `${items.length} new publication${items.length === 1 ? '' : 's'}`;
  if (kind === 'rollup') return cleanSubject(`[ICAT] ${count} from ${listNames(items.map((p) => p.members[0] ?? ''), label)}`);
  const day = formatDay(input.digestAt?.toISOString()) ?? '';
  return cleanSubject(input.frequency === 'weekly' ? `[ICAT] Weekly digest, week to ${day}: ${count}` : `[ICAT] Daily digest, ${day}: ${count}`);
}

export function renderAlertMail(input: AlertMailInput): MailMessage {
  const { settings, items, label, kind } = input;
  const subject = subjectFor(input);
  const reason = `You receive this because you subscribed to ${input.frequency === 'instant' ? 'instant' : input.frequency} ICAT publication alerts at ${settings.publicUrl}.`;
  const footer = { reason, ...input.links };
  const listed = items.slice(0, MAX_LISTED);
  const more = items.length - listed.length;
  // The rest, on the latest-publications page: of the one member when the mail is about one.
  const senders = new Set(items.map((p) => p.members[0] ?? ''));
  const moreUrl = `${settings.publicUrl}/${senders.size === 1 && !senders.has('') ? `?member=${encodeURIComponent([...senders][0]!)}` : ''}`;
  const moreText = more > 0 ? `\n\n…and ${more} more: ${moreUrl}` : '';
  let text: string;
  let html: string;
  if (kind === 'alert' && listed.length === 1) {
    text = `${itemText(listed[0]!, label, true)}\n\n${footerText(footer)}`;
    html = `${itemHtml(listed[0]!, label, true, 'h1')}\n${footerHtml(footer)}`;
  } else {
    const groups = groupByMember(listed);
    const heading = kind === 'digest' ? subject.replace(/^\[ICAT\] /, '') : `${items.length} new publications`;
    text = `${heading}\n\n${groupsText(groups, label)}${moreText}\n\n${footerText(footer)}`;
    html = `<h1>${escapeHtml(heading)}</h1>\n${groupsHtml(groups, label)}${more > 0 ? `\n<p><a href="${escapeHtml(moreUrl)}">…and ${more} more</a></p>` : ''}\n${footerHtml(footer)}`;
  }
  return {
    from: settings.from,
    to: input.to,
    subject,
    text,
    html: htmlDocument(subject, html),
    messageId: alertMessageId(settings.domain, input.subscriptionId, kind, items.map((p) => p.id)),
    date: input.now,
    headers: listHeaders(settings, input.links),
  };
}

export interface ConfirmationMailInput {
  settings: MailSettings;
  to: string;
  subscriptionId: string;
  nonce: string;
  confirmUrl: string;
  filters: AlertFilters;
  frequency: Frequency;
  label: MemberLabel;
  now: Date;
}

/** The double opt-in mail: nothing else is sent before its link is followed. */
export function renderConfirmationMail(input: ConfirmationMailInput): MailMessage {
  const subject = '[ICAT] Confirm your publication alerts';
  const choice = [`Frequency: ${input.frequency}`, ...describeFilters(input.filters, input.label)];
  const ignore = 'If you did not ask for this, ignore this e-mail: nothing will be sent to you. The link expires in 7 days.';
  const text = [
    'Someone, probably you, asked to receive e-mail alerts about new publications of the ICAT member organisations at this address.',
    '',
    ...choice,
    '',
    `To confirm, open this link: ${input.confirmUrl}`,
    '',
    ignore,
    '',
  ].join('\n');
  const html = [
    `<h1>${escapeHtml('Confirm your publication alerts')}</h1>`,
    '<p>Someone, probably you, asked to receive e-mail alerts about new publications of the ICAT member organisations at this address.</p>',
    `<ul>\n${choice.map((c) => `<li>${escapeHtml(c)}</li>`).join('\n')}\n</ul>`,
    `<p><a href="${escapeHtml(input.confirmUrl)}">Confirm my alerts</a></p>`,
    `<p>${escapeHtml(ignore)}</p>`,
  ].join('\n');
  return {
    from: input.settings.from,
    to: input.to,
    subject,
    text,
    html: htmlDocument(subject, html),
    messageId: alertMessageId(input.settings.domain, input.subscriptionId, 'confirm', [input.nonce]),
    date: input.now,
    headers: {},
  };
}
