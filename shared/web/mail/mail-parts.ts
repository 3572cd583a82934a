// The text and HTML bodies of alert mails, piece by piece, in the reader's language. Pure. Every value
// from a feed is escaped in HTML, and only absolute http(s) URLs become links.
import type { AlertPublication } from '../../ports/subscriptions.ts';
import { translator, type Language, type Translate } from '../../i18n/index.ts';
import { escape, safeHttpUrl } from '../html.ts';
import { formatDay } from '../../i18n/format.ts';
import type { MemberGroup } from '../../alerts/delivery-schedule.ts';

import type { MemberLabel } from '../../alerts/mails.ts';

export type { MemberLabel };

/** The language a mail is written in, and its messages. */
export interface MailLocale {
  lang: Language;
  t: Translate;
}

export function mailLocale(lang: Language): MailLocale {
  return { lang, t: translator(lang) };
}

const EN = mailLocale('en');

const MAX_SUMMARY = 600;

function shortSummary(text: string | undefined, max: number): string | undefined {
  if (!text) return undefined;
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1).trimEnd()}…` : clean;
}

function pdfLinks(p: AlertPublication): string[] {
  return p.enclosures
    .filter((e) => e.type === 'application/pdf' || /\.pdf(?:$|[?#])/i.test(e.url))
    .map((e) => safeHttpUrl(e.url))
    .filter((u): u is string => !!u);
}

function fileName(url: string): string {
  const last = new URL(url).pathname.split('/').pop() || 'PDF';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

function metaLine(p: AlertPublication, label: MemberLabel, lang: Language): string {
  return [p.members.map(label).join(', '), formatDay(p.published ?? p.firstSeen, lang), ...p.categories.slice(0, 3)].filter(Boolean).join(' · ');
}

export function itemText(p: AlertPublication, label: MemberLabel, full: boolean, locale: MailLocale = EN): string {
  const link = safeHttpUrl(p.link);
  const summary = shortSummary(p.summary, full ? 1000 : MAX_SUMMARY);
  const lines = [p.title, metaLine(p, label, locale.lang), ...(link ? [link] : [])];
  if (summary) lines.push('', summary);
  for (const pdf of pdfLinks(p)) lines.push(`PDF: ${pdf}`);
  return lines.join('\n');
}

export function itemHtml(p: AlertPublication, label: MemberLabel, full: boolean, heading: 'h1' | 'h2' | 'h3', locale: MailLocale = EN): string {
  const link = safeHttpUrl(p.link);
  const summary = shortSummary(p.summary, full ? 1000 : MAX_SUMMARY);
  const title = link ? `<a href="${escape(link)}">${escape(p.title)}</a>` : escape(p.title);
  const pdfs = pdfLinks(p).map((u) => `<a href="${escape(u)}">${escape(fileName(u))}</a>`);
  return [
    `<${heading}>${title}</${heading}>`,
    `<p>${escape(metaLine(p, label, locale.lang))}</p>`,
    summary ? `<p>${escape(summary)}</p>` : '',
    pdfs.length ? `<p>PDF: ${pdfs.join(', ')}</p>` : '',
  ].filter(Boolean).join('\n');
}

export function groupsText(groups: MemberGroup[], label: MemberLabel, locale: MailLocale = EN): string {
  return groups.map((g) => `== ${label(g.memberId)} ==\n\n${g.items.map((p) => itemText(p, label, false, locale)).join('\n\n')}`).join('\n\n');
}

export function groupsHtml(groups: MemberGroup[], label: MemberLabel, locale: MailLocale = EN): string {
  return groups.map((g) => `<h2>${escape(label(g.memberId))}</h2>\n${g.items.map((p) => itemHtml(p, label, false, 'h3', locale)).join('\n')}`).join('\n');
}

export interface Footer {
  reason: string;
  manage: string;
  unsubscribe: string;
}

export function footerText(f: Footer, { t }: MailLocale = EN): string {
  return `-- \n${f.reason}\n${t('mail.footer.line', { label: t('mail.footer.manage'), link: f.manage })}\n${t('mail.footer.line', { label: t('mail.footer.unsubscribe'), link: f.unsubscribe })}\n`;
}

export function footerHtml(f: Footer, { t }: MailLocale = EN): string {
  return `<hr>\n<p>${escape(f.reason)}</p>\n<p><a href="${escape(f.manage)}">${escape(t('mail.footer.manage'))}</a> · <a href="${escape(f.unsubscribe)}">${escape(t('mail.footer.unsubscribe'))}</a></p>`;
}

export function htmlDocument(title: string, body: string, lang: Language = 'en'): string {
  return `<!doctype html>\n<html lang="${lang}">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${escape(title)}</title>\n</head>\n<body>\n${body}\n</body>\n</html>\n`;
}
