// Bounces and complaints reported by Amazon SES (through SNS, into the alerts queue): a permanent
// bounce or a complaint suspends the subscription, so the address gets nothing more until its owner
// confirms a new subscription. Transient bounces (mailbox full, out of office) change nothing.
// Reads both SES formats: identity notifications (`notificationType`) and configuration-set event
// publishing (`eventType`), raw or wrapped in an SNS envelope.
import { normaliseAddress } from './address.ts';
import type { AlertsContext } from './context.ts';
import { suspendSubscription } from './deliver.ts';

export interface MailEvent {
  type: 'bounce' | 'complaint' | 'other';
  /** A permanent bounce, or any complaint: the address must not be mailed again. */
  suspends: boolean;
  recipients: string[];
}

type Json = Record<string, unknown>;

function addresses(list: unknown): string[] {
  return Array.isArray(list) ? list.map((r) => (r as Json | null)?.emailAddress).filter((a): a is string => typeof a === 'string') : [];
}

/** The SES event in a queue message body, or undefined when the body is not one. */
export function parseMailEvent(parsed: unknown): MailEvent | undefined {
  let doc = parsed as Json | null;
  if (doc && doc.Type === 'Notification' && typeof doc.Message === 'string') {
    try {
      doc = JSON.parse(doc.Message) as Json;
    } catch {
      return undefined;
    }
  }
  if (!doc || typeof doc !== 'object') return undefined;
  const kind = doc.notificationType ?? doc.eventType;
  if (typeof kind !== 'string' || !doc.mail) return undefined;
  if (kind === 'Bounce') {
    const bounce = (doc.bounce ?? {}) as Json;
    return { type: 'bounce', suspends: bounce.bounceType === 'Permanent', recipients: addresses(bounce.bouncedRecipients) };
  }
  if (kind === 'Complaint') {
    const complaint = (doc.complaint ?? {}) as Json;
    return { type: 'complaint', suspends: true, recipients: addresses(complaint.complainedRecipients) };
  }
  return { type: 'other', suspends: false, recipients: [] };
}

/** Suspends the subscriptions of the event's recipients; returns how many were suspended. */
export async function applyMailEvent(ctx: AlertsContext, event: MailEvent): Promise<number> {
  if (!event.suspends) return 0;
  let suspended = 0;
  for (const raw of event.recipients) {
    let address: string;
    try {
      address = normaliseAddress(raw);
    } catch {
      continue; // not an address the hub could have subscribed
    }
    const id = await ctx.tokens.addressId(address);
    if (await suspendSubscription(ctx, id, event.type === 'complaint' ? 'complaint' : 'bounce')) suspended += 1;
  }
  return suspended;
}
