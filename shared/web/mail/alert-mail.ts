// Whole alert mails: subject, headers, multipart text + HTML, in the subscriber's language (en, fr,
// es; dates and numbers as that language writes them). Pure: links, names and `now` come in.
//
// Every list mail carries List-Unsubscribe with an https one-click link and a mailto, and
// List-Unsubscribe-Post (RFC 8058), and List-Id (RFC 2919). The Message-ID is derived from the
// subscription and the publications, so a message sent again after a redelivery has the same id.
import { createHash } from 'node:crypto';
import type { MailMessage } from '../../ports/mailer.ts';
import type { AlertFilters, AlertPublication, DeliveryKind, Frequency } from '../../ports/subscriptions.ts';
import { LOCALES } from '../../i18n/index.ts';
import type { AlertMailInput, AlertMails, ConfirmationMailInput, MailSettings, MemberLabel, SubscriberLinks } from '../../alerts/mails.ts';

export type { AlertMailInput, ConfirmationMailInput, MailSettings, SubscriberLinks } from '../../alerts/mails.ts';
export { mailLanguage } from '../../alerts/mails.ts';
import { escape } from '../html.ts';
import { formatDay } from '../../i18n/format.ts';
import { footerHtml, footerText, groupsHtml, groupsText, htmlDocument, itemHtml, itemText, mailLocale, type MailLocale } from './mail-parts.ts';
import { groupByMember, newestFirst } from '../../alerts/delivery-schedule.ts';

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

const SUBJECT_PREFIX = '[ICAT] ';

/** "A, B and C", "A, B et 3 autres": at most three names. */
function listNames(ids: string[], label: MemberLabel, { lang, t }: MailLocale): string {
  const names = [...new Set(ids.map(label))];
  const list = new Intl.ListFormat(LOCALES[lang], { type: 'conjunction' });
  return list.format(names.length <= 3 ? names : [...names.slice(0, 2), t('mail.members.more', { count: names.length - 2 })]);
}

/** The subject without the "[ICAT] " prefix (a digest's heading too). */
function subjectText(input: Pick<AlertMailInput, 'kind' | 'items' | 'label' | 'frequency' | 'digestAt'>, locale: MailLocale): string {
  const { kind, items, label } = input;
  const { t } = locale;
  const first = items[0];
  if (kind === 'alert' && first) return t('mail.alert.subject', { member: label(first.members[0] ?? ''), title: first.title });
  const publications = t('mail.count', { count: items.length });
  if (kind === 'rollup') return t('mail.rollup.subject', { publications, members: listNames(items.map((p) => p.members[0] ?? ''), label, locale) });
  const day = formatDay(input.digestAt?.toISOString(), locale.lang) ?? '';
  return t(input.frequency === 'weekly' ? 'mail.digest.weekly' : 'mail.digest.daily', { day, publications });
}

export function subjectFor(input: Pick<AlertMailInput, 'kind' | 'items' | 'label' | 'frequency' | 'digestAt' | 'language'>): string {
  return cleanSubject(`${SUBJECT_PREFIX}${subjectText(input, mailLocale(input.language ?? 'en'))}`);
}

export function renderAlertMail(input: AlertMailInput): MailMessage {
  const { settings, items, label, kind } = input;
  const locale = mailLocale(input.language ?? 'en');
  const { t, lang } = locale;
  const subject = subjectFor(input);
  const reason = t(`mail.reason.${input.frequency}`, { site: settings.publicUrl });
  const footer = { reason, ...input.links };
  // The newest are listed, the rest linked: a cap that cuts an unsorted list would skip new papers.
  const listed = [...items].sort(newestFirst).slice(0, MAX_LISTED);
  const more = items.length - listed.length;
  // The rest, on the latest-publications page: of the one member when the mail is about one.
  const senders = new Set(items.map((p) => p.members[0] ?? ''));
  const moreUrl = `${settings.publicUrl}/${senders.size === 1 && !senders.has('') ? `?member=${encodeURIComponent([...senders][0]!)}` : ''}`;
  const moreText = more > 0 ? `\n\n${t('mail.more.text', { count: more, link: moreUrl })}` : '';
  let text: string;
  let html: string;
  if (kind === 'alert' && listed.length === 1) {
    text = `${itemText(listed[0]!, label, true, locale)}\n\n${footerText(footer, locale)}`;
    html = `${itemHtml(listed[0]!, label, true, 'h1', locale)}\n${footerHtml(footer, locale)}`;
  } else {
    const groups = groupByMember(listed);
    const heading = kind === 'digest' ? cleanSubject(subjectText(input, locale)) : t('mail.count', { count: items.length });
    text = `${heading}\n\n${groupsText(groups, label, locale)}${moreText}\n\n${footerText(footer, locale)}`;
    html = `<h1>${escape(heading)}</h1>\n${groupsHtml(groups, label, locale)}${more > 0 ? `\n<p><a href="${escape(moreUrl)}">${escape(t('mail.more.html', { count: more }))}</a></p>` : ''}\n${footerHtml(footer, locale)}`;
  }
  return {
    from: settings.from,
    to: input.to,
    subject,
    text,
    html: htmlDocument(subject, html, lang),
    messageId: alertMessageId(settings.domain, input.subscriptionId, kind, items.map((p) => p.id)),
    date: input.now,
    headers: listHeaders(settings, input.links),
  };
}

/** What was asked for, in words (the same lines as the pages behind the links). */
export function describeChoice(filters: AlertFilters, frequency: Frequency, label: MemberLabel, { t }: MailLocale): string[] {
  return [
    t('subscribe.summary.frequency', { frequency: t(`subscribe.frequency.${frequency}`) }),
    filters.members.length ? t('subscribe.summary.members', { list: filters.members.map(label).join(', ') }) : t('subscribe.summary.allMembers'),
    ...(filters.categories.length ? [t('subscribe.summary.categories', { list: filters.categories.join(', ') })] : []),
    ...(filters.languages.length ? [t('subscribe.summary.languages', { list: filters.languages.join(', ') })] : []),
    ...(filters.keywords.length ? [t('subscribe.summary.keywords', { list: filters.keywords.join(', ') })] : []),
  ];
}

/** The double opt-in mail: nothing else is sent before its link is followed. */
export function renderConfirmationMail(input: ConfirmationMailInput): MailMessage {
  const locale = mailLocale(input.language ?? 'en');
  const { t, lang } = locale;
  const title = t('mail.confirm.subject');
  const subject = cleanSubject(`${SUBJECT_PREFIX}${title}`);
  const choice = describeChoice(input.filters, input.frequency, input.label, locale);
  const intro = t('mail.confirm.intro');
  const ignore = t('mail.confirm.ignore', { count: input.expiresInDays ?? 7 });
  const text = [intro, '', ...choice, '', t('mail.confirm.open', { link: input.confirmUrl }), '', ignore, ''].join('\n');
  const html = [
    `<h1>${escape(title)}</h1>`,
    `<p>${escape(intro)}</p>`,
    `<ul>\n${choice.map((c) => `<li>${escape(c)}</li>`).join('\n')}\n</ul>`,
    `<p><a href="${escape(input.confirmUrl)}">${escape(t('mail.confirm.button'))}</a></p>`,
    `<p>${escape(ignore)}</p>`,
  ].join('\n');
  return {
    from: input.settings.from,
    to: input.to,
    subject,
    text,
    html: htmlDocument(subject, html, lang),
    messageId: alertMessageId(input.settings.domain, input.subscriptionId, 'confirm', [input.nonce]),
    date: input.now,
    headers: {},
  };
}

/** The alerts' mails as the alerts context takes them (shared/alerts/mails.ts). */
export const alertMails: AlertMails = { alert: renderAlertMail, confirmation: renderConfirmationMail };
