// Mail through Amazon SES v2 (SendEmail with raw content: the same MIME bytes as SMTP and the outbox,
// so List-Unsubscribe and List-Id go out as built). SES replaces the Message-ID with its own; the
// hub's delivery records, not the Message-ID, are what keep a mail from going twice. Bounces and
// complaints come back through SNS into the alerts queue (shared/alerts/mail-events.ts).
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { MailError, type Mailer, type MailMessage, type SentMail } from '../../ports/mailer.ts';
import { bareAddress, composeMime } from './mime-message.ts';

/** Account- and service-level refusals: nothing is wrong with the message, SES cannot take any now. */
const UNAVAILABLE = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'SendingPausedException',
  'AccountSuspendedException',
  'MailFromDomainNotVerifiedException',
  'NotFoundException',
  'InternalServiceErrorException',
  'ServiceUnavailable',
  'ThrottlingException',
]);

export function classifySesError(err: unknown): MailError {
  const e = (err ?? {}) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const message = `SES ${name}: ${e.message ?? String(err)}`;
  if (UNAVAILABLE.has(name) || status === undefined || status >= 500 || status === 429) return new MailError('unavailable', message, { cause: err });
  if (name === 'MessageRejected' || name === 'BadRequestException') return new MailError('rejected', message, { cause: err });
  return new MailError('deferred', message, { cause: err });
}

export class SesMailer implements Mailer {
  readonly transport = 'ses' as const;

  constructor(
    private readonly ses: SESv2Client,
    private readonly options: { configurationSet?: string } = {},
  ) {}

  async send(message: MailMessage): Promise<SentMail> {
    const raw = await composeMime(message);
    try {
      const out = await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: bareAddress(message.from),
          Destination: { ToAddresses: [message.to] },
          Content: { Raw: { Data: raw } },
          ...(this.options.configurationSet ? { ConfigurationSetName: this.options.configurationSet } : {}),
          EmailTags: [{ Name: 'kind', Value: message.messageId.slice(1).split('.')[0] ?? 'alert' }],
        }),
      );
      return { providerId: out.MessageId };
    } catch (err) {
      throw classifySesError(err);
    }
  }
}
