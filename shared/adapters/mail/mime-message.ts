// MailMessage -> RFC 5322 bytes, built once by nodemailer's composer: the SMTP and SES adapters send
// them and the outbox keeps them, so what a developer reads in the outbox is what would have gone out.
// multipart/alternative (text first, then HTML), UTF-8, quoted-printable, headers folded and encoded.
import addressparser from 'nodemailer/lib/addressparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { MailMessage } from '../../ports/mailer.ts';

export function composeMime(m: MailMessage): Promise<Buffer> {
  return new MailComposer({
    from: m.from,
    to: m.to,
    subject: m.subject,
    text: m.text,
    html: m.html,
    messageId: m.messageId,
    date: m.date,
    headers: m.headers,
    textEncoding: 'quoted-printable',
  })
    .compile()
    .build();
}

/** The bare address of `Name <address>` (the SMTP envelope sender). */
export function bareAddress(mailbox: string): string {
  const first = addressparser(mailbox, { flatten: true })[0];
  return first?.address || mailbox.trim();
}
