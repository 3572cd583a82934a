// Telling a member that one of its feeds is dead, and again when it works again. Sent through the
// same Mailer as alerts (SMTP, SES, or the local outbox). A notice that could not be sent is not
// marked as sent, so the next poll of the feed tries again.
import type { Feed } from '../model.ts';
import { formatDay } from '../i18n/format.ts';
import { supportedLanguage, translator, type Language, type MessageKey } from '../i18n/index.ts';
import type { HubContext } from './context.ts';

export type FeedNoticeKind = 'dead' | 'recovered';

function advice(feed: Feed): MessageKey {
  const e = feed.lastError;
  if (!e) return 'mail.notice.advice.default';
  if (e.code === 'http_status' && (e.status === 404 || e.status === 410)) return 'mail.notice.advice.gone';
  if (e.code === 'malformed_xml' || e.code === 'not_a_feed' || e.code === 'not_a_feed_html') return 'mail.notice.advice.invalid';
  if (e.code === 'blocked_address') return 'mail.notice.advice.blocked';
  if (e.code === 'tls_error') return 'mail.notice.advice.tls';
  if (e.code === 'timeout' || e.code === 'connection_refused' || e.code === 'dns_error') return 'mail.notice.advice.unreachable';
  return 'mail.notice.advice.default';
}

/** The notice in the member's language (English when it has none): subject and plain text. */
export function feedNotice(ctx: Pick<HubContext, 'publicUrl'>, feed: Feed, kind: FeedNoticeKind, memberName: string, lang: Language = 'en'): { subject: string; text: string } {
  const t = translator(lang);
  const name = feed.title ? `"${feed.title}"` : feed.url;
  const health = t('mail.notice.health', { link: `${ctx.publicUrl ?? ''}/api/feeds/${feed.id}` });
  const hello = t('mail.notice.hello', { name: memberName });
  const signature = t('mail.notice.signature');
  if (kind === 'recovered') {
    return {
      subject: `[ICAT hub] ${t('mail.notice.recovered.subject', { name })}`,
      text: [hello, '', t('mail.notice.recovered.body', { url: feed.url }), '', health, '', signature].join('\n'),
    };
  }
  const error = feed.lastError;
  const since = feed.errorsSince ? formatDay(feed.errorsSince, lang) : undefined;
  const count = feed.consecutiveErrors;
  return {
    subject: `[ICAT hub] ${t('mail.notice.dead.subject', { name })}`,
    text: [
      hello,
      '',
      since ? t('mail.notice.dead.bodySince', { url: feed.url, count, day: since }) : t('mail.notice.dead.body', { url: feed.url, count }),
      error ? t('mail.notice.dead.lastError', { error: error.message }) : '',
      '',
      t('mail.notice.dead.todo', { advice: t(advice(feed)) }),
      '',
      t('mail.notice.dead.retry'),
      health,
      '',
      signature,
    ]
      .filter((l, i, all) => l !== '' || all[i - 1] !== '')
      .join('\n'),
  };
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Sends the notice; true when it went out (or into the outbox), false when it could not. */
export async function sendFeedNotice(ctx: HubContext, feed: Feed, kind: FeedNoticeKind): Promise<boolean> {
  const log = ctx.log.child({ feed_id: feed.id, member_id: feed.memberId, notice: kind });
  const member = await ctx.store.getMember(feed.memberId);
  if (!ctx.mailer || !member?.email) {
    log.warn('feed notice not sent: no mail path or no contact address');
    return false;
  }
  const lang = supportedLanguage(member.language) ?? 'en';
  const { subject, text } = feedNotice(ctx, feed, kind, member.acronym ?? member.name, lang);
  const now = ctx.now();
  const host = new URL(ctx.publicUrl ?? 'http://localhost').hostname;
  try {
    await ctx.mailer.send({
      from: ctx.mailFrom ?? `ICAT Syndication Hub <no-reply@${host}>`,
      to: member.email,
      subject,
      text,
      html: `<!doctype html>\n<html lang="${lang}"><body><pre style="font-family:inherit;white-space:pre-wrap">${escape(text)}</pre></body></html>`,
      messageId: `<feed-${kind}.${feed.id}.${now.getTime()}@${host}>`,
      date: now,
      headers: {},
    });
    log.info('feed notice sent');
    return true;
  } catch (err) {
    log.warn('feed notice failed; will retry on the next poll', { error: (err as Error).message });
    return false;
  }
}
