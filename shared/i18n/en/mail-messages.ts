// Mails: publication alerts, digests and their confirmation, and notices to members about their feeds.
// `{count}` messages have plural forms (Intl.PluralRules); dates and numbers come in already written
// in the reader's language.
import type { Catalogue } from '../catalogue-types.ts';

export const enMail = {
  'mail.count': { one: '{count} new publication', other: '{count} new publications' },
  'mail.alert.subject': '{member}: {title}',
  'mail.rollup.subject': '{publications} from {members}',
  'mail.members.more': { one: '{count} more', other: '{count} more' },
  'mail.digest.daily': 'Daily digest, {day}: {publications}',
  'mail.digest.weekly': 'Weekly digest, week to {day}: {publications}',
  'mail.reason.instant': 'You receive this because you subscribed to instant ICAT publication alerts at {site}.',
  'mail.reason.daily': 'You receive this because you subscribed to daily ICAT publication alerts at {site}.',
  'mail.reason.weekly': 'You receive this because you subscribed to weekly ICAT publication alerts at {site}.',
  'mail.more.text': { one: '…and {count} more: {link}', other: '…and {count} more: {link}' },
  'mail.more.html': { one: '…and {count} more.', other: '…and {count} more.' },
  'mail.footer.manage': 'Change what you receive',
  'mail.footer.unsubscribe': 'Unsubscribe',
  // A label and its link on a line of the text footer (French puts a space before the colon).
  'mail.footer.line': '{label}: {link}',

  'mail.confirm.subject': 'Confirm your publication alerts',
  'mail.confirm.intro': 'Someone, probably you, asked to receive e-mail alerts about new publications of the ICAT member organisations at this address.',
  'mail.confirm.open': 'To confirm, open this link: {link}',
  'mail.confirm.button': 'Confirm my alerts',
  'mail.confirm.ignore': {
    one: 'If you did not ask for this, ignore this e-mail: nothing will be sent to you. The link expires in {count} day.',
    other: 'If you did not ask for this, ignore this e-mail: nothing will be sent to you. The link expires in {count} days.',
  },

  'mail.notice.hello': 'Hello {name},',
  'mail.notice.health': 'Its health: {link}',
  'mail.notice.signature': 'ICAT Syndication Hub',
  'mail.notice.recovered.subject': 'Your feed {name} works again',
  'mail.notice.recovered.body': 'The feed {url} works again, and the hub publishes its items as before.',
  'mail.notice.dead.subject': 'Your feed {name} has stopped working',
  'mail.notice.dead.body': {
    one: 'The hub has not been able to read your feed {url} {count} time in a row.',
    other: 'The hub has not been able to read your feed {url} {count} times in a row.',
  },
  'mail.notice.dead.bodySince': {
    one: 'The hub has not been able to read your feed {url} {count} time in a row (since {day}).',
    other: 'The hub has not been able to read your feed {url} {count} times in a row (since {day}).',
  },
  'mail.notice.dead.lastError': 'The last error: {error}',
  'mail.notice.dead.todo': 'What to do: {advice}',
  'mail.notice.dead.retry': 'Until it works again, the hub checks it once a day, and tells you when it recovers.',
  'mail.notice.advice.default': 'Check that the address still serves the feed.',
  'mail.notice.advice.gone':
    'The address no longer serves a feed: sites often move feeds when they are redesigned. Find the new feed address on your site, register it, and remove this one.',
  'mail.notice.advice.invalid':
    'The address answers, but not with a valid feed. Open it in a browser or a feed validator and fix what the message above names (often an unescaped "&").',
  'mail.notice.advice.blocked': 'The address points at a private or internal network, which the hub never fetches. Use the public address of the feed.',
  'mail.notice.advice.tls': 'The site’s HTTPS certificate is not valid (expired, or for another name). Renew or fix the certificate.',
  'mail.notice.advice.unreachable': 'The site could not be reached. Check that it is online and that its name resolves.',
} satisfies Catalogue;
