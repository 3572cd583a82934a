// The mails of e-mail alerts, as the use cases ask for them: what goes into an alert, a roll-up, a
// digest or a confirmation. Rendered in the web layer (shared/web/mail/), with the pages' escaping,
// and handed to the alerts context by the composition.
import type { Language } from '../i18n/languages.ts';
import { supportedLanguage } from '../i18n/languages.ts';
import type { MailMessage } from '../ports/mailer.ts';
import type { AlertFilters, AlertPublication, DeliveryKind, Frequency } from '../ports/subscriptions.ts';

/** A member's display name for its id. */
export type MemberLabel = (memberId: string) => string;

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

/** The mail language for a stored tag: English when absent or not one the hub writes. */
export function mailLanguage(tag: string | undefined): Language {
  return supportedLanguage(tag) ?? 'en';
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
  /** The subscriber's language; English when absent. */
  language?: Language;
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
  /** The language of the request; English when absent. */
  language?: Language;
  /** How long the link works, in days. */
  expiresInDays?: number;
}

/** Renders the alerts' mails (shared/web/mail/alert-mail.ts). */
export interface AlertMails {
  alert(input: AlertMailInput): MailMessage;
  confirmation(input: ConfirmationMailInput): MailMessage;
}
