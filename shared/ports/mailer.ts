// The ports of the mail pipeline: the Mailer that sends one message (SMTP locally, SES in AWS, an
// outbox folder when neither is set up) and the queue that feeds it (SQS `alerts`, with its DLQ).
import { HubError } from '../errors.ts';

/** One finished message: every header the hub sets is already decided here. */
export interface MailMessage {
  /** `Name <address>` or a bare address. */
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** `<...@...>`; derived from the subscription and the publications, so a resend keeps it. */
  messageId: string;
  date: Date;
  /** Further headers: List-Unsubscribe, List-Unsubscribe-Post, List-Id. */
  headers: Record<string, string>;
}

export interface SentMail {
  /** The id the mail service gave the message (SES replaces Message-ID with its own). */
  providerId?: string;
}

/**
 * How a send failed, which decides what happens next:
 * - unavailable: the mail service cannot be reached or refuses every message for now (connection,
 *   TLS, authentication, throttling, a paused account). Nothing is wrong with the message: it waits,
 *   without counting towards the dead-letter queue, until the service is back.
 * - deferred: this message was refused for now (a 4xx reply to RCPT or DATA): retried, and
 *   dead-lettered when it keeps failing.
 * - bounced: the recipient does not exist or refuses mail for good (5xx to RCPT): the subscription
 *   is suspended.
 * - rejected: this message was refused for good (5xx to MAIL FROM or DATA, SES MessageRejected).
 */
export type MailFailure = 'unavailable' | 'deferred' | 'bounced' | 'rejected';

export class MailError extends HubError {
  readonly failure: MailFailure;
  /** SMTP reply code, when the server answered. */
  readonly responseCode?: number;

  constructor(failure: MailFailure, message: string, options?: { cause?: unknown; responseCode?: number }) {
    // Mail servers echo addresses in their replies ("550 <x@y>: no such user"); this message is
    // logged and shown to the admin, so addresses are taken out here, once for every adapter.
    super('internal', `mail_${failure}`, message.replace(/[^\s<>"'@,;:]+@[^\s<>"'@,;:]+/g, '[address]'), { cause: options?.cause });
    this.failure = failure;
    this.responseCode = options?.responseCode;
  }
}

export interface Mailer {
  /** Which adapter this is, for the admin's status page. */
  readonly transport: 'smtp' | 'ses' | 'outbox';
  /** Resolves once the service accepted the message; rejects with a MailError. */
  send(message: MailMessage): Promise<SentMail>;
  /** Mailers that keep copies (the outbox) delete those to `address`; returns how many. */
  forget?(address: string): Promise<number>;
}

/** A message of the alerts queue put back for later, with how many times the mail service was down for it. */
export interface RequeuedMessage {
  body: string;
  attempt: number;
  delaySeconds: number;
}

export interface DeadLetter {
  messageId: string;
  /** What it was about, when the body says (an announcement's publication id and title). */
  publicationId?: string;
  title?: string;
  sentAt?: string;
  receiveCount?: number;
}

export interface QueueDepth {
  visible: number;
  inFlight: number;
  delayed: number;
}

/** The `alerts` queue and its dead-letter queue. */
export interface AlertQueue {
  /** Sends the messages again with a delay (SQS at most 15 minutes); throws when SQS refuses. */
  requeue(messages: RequeuedMessage[]): Promise<void>;
  /** The first messages of the dead-letter queue (left in it). */
  listDeadLetters(limit: number): Promise<{ total: number; items: DeadLetter[] }>;
  /** Moves dead letters back to the alerts queue; returns how many moved. */
  redriveDeadLetters(limit: number): Promise<number>;
  depth(): Promise<{ queue: QueueDepth; deadLetters: number }>;
}

/** Name of the message attribute that counts how often the mail service was unavailable for a message. */
export const ATTEMPT_ATTRIBUTE = 'alerts_attempt';
