// Telling a member that one of its feeds is dead, and again when it works again. Sent through the
// same Mailer as alerts (SMTP, SES, or the local outbox). A notice that could not be sent is not
// marked as sent, so the next poll of the feed tries again.
import type { Feed } from '../model.ts';
import type { HubContext } from './context.ts';

export type FeedNoticeKind = 'dead' | 'recovered';

function advice(feed: Feed): string {
  const e = feed.lastError;
  if (!e) return 'Check that the address still serves the feed.';
  if (e.code === 'http_status' && (e.status === 404 || e.status === 410))
    return 'The address no longer serves a feed: sites often move feeds when they are redesigned. Find the new feed address on your site, register it, and remove this one.';
  if (e.code === 'malformed_xml' || e.code === 'not_a_feed' || e.code === 'not_a_feed_html')
    return 'The address answers, but not with a valid feed. Open it in a browser or a feed validator and fix what the message above names (often an unescaped "&").';
  if (e.code === 'blocked_address') return 'The address points at a private or internal network, which the hub never fetches. Use the public address of the feed.';
  if (e.code === 'tls_error') return 'The site\'s HTTPS certificate is not valid (expired, or for another name). Renew or fix the certificate.';
  if (e.code === 'timeout' || e.code === 'connection_refused' || e.code === 'dns_error')
    return 'The site could not be reached. Check that it is online and that its name resolves.';
  return 'Check that the address still serves the feed.';
}

export function feedNotice(ctx: Pick<HubContext, 'publicUrl'>, feed: Feed, kind: FeedNoticeKind, memberName: string): { subject: string; text: string } {
  const name = feed.title ? `"${feed.title}"` : feed.url;
  const health = `${ctx.publicUrl ?? ''}/api/feeds/${feed.id}`;
  if (kind === 'recovered') {
    return {
      subject: `[ICAT hub] Your feed ${name} works again`,
      text: [`Hello ${memberName},`, '', `The feed ${feed.url} works again, and the hub publishes its items as before.`, '', `Its health: ${health}`, '', 'ICAT Syndication Hub'].join('\n'),
    };
  }
  const error = feed.lastError;
  return {
    subject: `[ICAT hub] Your feed ${name} has stopped working`,
    text: [
      `Hello ${memberName},`,
      '',
      `The hub has not been able to read your feed ${feed.url} ${feed.consecutiveErrors} times in a row${feed.errorsSince ? ` (since ${feed.errorsSince.slice(0, 10)})` : ''}.`,
      error ? `The last error: ${error.message}` : '',
      '',
      `What to do: ${advice(feed)}`,
      '',
      'Until it works again, the hub checks it once a day, and tells you when it recovers.',
      `Its health: ${health}`,
      '',
      'ICAT Syndication Hub',
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
  const { subject, text } = feedNotice(ctx, feed, kind, member.acronym ?? member.name);
  const now = ctx.now();
  const host = new URL(ctx.publicUrl ?? 'http://localhost').hostname;
  try {
    await ctx.mailer.send({
      from: ctx.mailFrom ?? `ICAT Syndication Hub <no-reply@${host}>`,
      to: member.email,
      subject,
      text,
      html: `<pre style="font-family:inherit;white-space:pre-wrap">${escape(text)}</pre>`,
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
