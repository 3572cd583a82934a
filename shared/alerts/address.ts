// E-mail addresses: validated and normalised once, at the edge, so that one mailbox is one subscriber
// whatever case or Unicode form it was typed in. Deliberately stricter than RFC 5321: no quoted
// local parts, no IP literals, no comments; those are not addresses people subscribe with.
import { domainToASCII } from 'node:url';
import { ValidationError } from '../errors.ts';

const ATEXT = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

function invalid(): ValidationError {
  return new ValidationError('invalid_email', 'Give a valid e-mail address as "email", like name@example.org.');
}

/** Lower-cased, domain in ASCII (IDNA); throws a ValidationError when it is not a usable address. */
export function normaliseAddress(raw: unknown): string {
  if (typeof raw !== 'string') throw invalid();
  const text = raw.trim().normalize('NFC');
  if (text.length === 0 || text.length > 254 || /[\s\p{Cc}]/u.test(text)) throw invalid();
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) throw invalid();
  const local = text.slice(0, at).toLowerCase();
  if (local.length > 64 || !ATEXT.test(local)) throw invalid();
  const domain = domainToASCII(text.slice(at + 1).toLowerCase().replace(/\.$/, ''));
  const labels = domain.split('.');
  const tld = labels[labels.length - 1] ?? '';
  if (domain === '' || labels.length < 2 || !labels.every((l) => LABEL.test(l))) throw invalid();
  if (!/^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/.test(tld)) throw invalid();
  const address = `${local}@${domain}`;
  if (address.length > 254) throw invalid();
  return address;
}

/** For people, never for keys: "r***@e***.org". */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) return '***';
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const host = dot > 0 ? domain.slice(0, dot) : domain;
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${local.slice(0, 1)}***@${host.slice(0, 1)}***${tld}`;
}
