// Mail over SMTP (SMTP_URL, e.g. smtp://127.0.0.1:2525, smtps://user:pass@mail.example:465; query
// parameters are nodemailer options, e.g. ?ignoreTLS=true). One connection per message: alerts come in
// small batches, and a pooled connection would only hide a server that went away. nodemailer (about
// 170 KB of a bundle) is loaded with the first message: functions in AWS mail through SES and never do.
import type { Transporter } from 'nodemailer';
import { MailError, type Mailer, type MailMessage, type SentMail } from '../../ports/mailer.ts';
import { bareAddress, composeMime } from './mime-message.ts';

interface SmtpFailure {
  code?: string;
  responseCode?: number;
  command?: string;
  message?: string;
}

/**
 * What an SMTP failure means for the message (see MailFailure). A 5xx to RCPT is a hard bounce; a 4xx
 * to RCPT or DATA a deferral; no connection, TLS or authentication failures, a 421, or any refusal
 * before the first recipient mean the server is unavailable, whatever the message.
 */
export function classifySmtpError(err: unknown): MailError {
  const e = (err ?? {}) as SmtpFailure;
  const text = e.message ?? String(err);
  const code = e.responseCode;
  const command = (e.command ?? '').toUpperCase();
  const make = (failure: ConstructorParameters<typeof MailError>[0]) => new MailError(failure, `SMTP: ${text}`, { cause: err, responseCode: code });
  if (code === undefined || code === 421) return make('unavailable');
  if (command.startsWith('RCPT')) return make(code >= 500 ? 'bounced' : 'deferred');
  if (command === 'DATA' || command.startsWith('MAIL')) return make(code >= 500 ? 'rejected' : 'deferred');
  return make('unavailable');
}

export class SmtpMailer implements Mailer {
  readonly transport = 'smtp' as const;
  private transporter?: Promise<Transporter>;

  constructor(
    private readonly smtpUrl: string,
    private readonly options: { timeoutMs?: number } = {},
  ) {}

  private connect(): Promise<Transporter> {
    this.transporter ??= import('nodemailer').then(({ default: nodemailer }) => {
      const timeout = this.options.timeoutMs ?? 15_000;
      return nodemailer.createTransport({ url: this.smtpUrl, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout * 2 });
    });
    return this.transporter;
  }

  async send(message: MailMessage): Promise<SentMail> {
    const raw = await composeMime(message);
    try {
      const transporter = await this.connect();
      const info = await transporter.sendMail({ envelope: { from: bareAddress(message.from), to: [message.to] }, raw });
      return { providerId: typeof info.response === 'string' ? info.response.slice(0, 200) : undefined };
    } catch (err) {
      throw classifySmtpError(err);
    }
  }

  close(): void {
    void this.transporter?.then((t) => t.close());
  }
}
