// Guards for values written into generated feeds: text cleaned of XML-illegal characters, dates that
// exist on the calendar, URLs a reader may follow, ids that stay stable URIs.

import { stripXmlIllegal } from './text.ts';

/** Cleaned and trimmed; undefined when nothing is left. */
export function cleanText(value: string | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const cleaned = stripXmlIllegal(value).trim();
  return cleaned === '' ? undefined : cleaned;
}

/** Cleaned, trimmed, empty values dropped, duplicates dropped (first one wins). */
export function cleanList(values: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const value of values ?? []) {
    const cleaned = cleanText(value);
    if (cleaned !== undefined && !out.includes(cleaned)) out.push(cleaned);
  }
  return out;
}

// RFC 3339 / ISO 8601 extended form; a time without a zone is read as UTC, since the store keeps
// UTC and the server's own zone must never leak into a date.
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/** A Date for a well-formed ISO date that exists on the calendar; undefined for anything else. */
export function parseIsoDate(value: string | undefined): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const m = ISO_DATE.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d, h = 0, mi = 0, s = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((part) => Number(part ?? 0));
  const ms = Number(((m[7] ?? '') + '000').slice(0, 3));
  const local = new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h, mi, s, ms));
  // Date.UTC rolls 31 February over to March and accepts hour 24: refuse instead of guessing.
  if (local.getUTCFullYear() !== y || local.getUTCMonth() !== (mo ?? 1) - 1 || local.getUTCDate() !== d) return undefined;
  if (local.getUTCHours() !== h || local.getUTCMinutes() !== mi || local.getUTCSeconds() !== s) return undefined;
  const offH = Number(m[10] ?? 0);
  const offM = Number(m[11] ?? 0);
  if (offH > 23 || offM > 59) return undefined;
  const sign = m[9] === '-' ? -1 : 1;
  const date = new Date(local.getTime() - sign * (offH * 60 + offM) * 60_000);
  // RFC 822 and RFC 3339 both need a four-digit year once shifted to UTC.
  const year = date.getUTCFullYear();
  return year >= 1000 && year <= 9999 ? date : undefined;
}

/** An absolute http(s) URL, normalised; undefined for anything a reader should not follow. */
export function safeHttpUrl(value: string | undefined): string | undefined {
  const cleaned = cleanText(value);
  if (cleaned === undefined) return undefined;
  try {
    const url = new URL(cleaned);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

// RFC 8141 NSS characters, less '&' and '/' so the id never needs escaping or CDATA in XML
// and never looks like a path.
const URN_SAFE = /^[A-Za-z0-9\-._~:@!$'()*+,;=]$/;

const utf8 = new TextEncoder();

/** The stable URI a publication is known by in every format: urn:icat-hub:publication:<id>. */
export function publicationUri(id: string): string {
  let nss = '';
  for (const ch of stripXmlIllegal(id)) {
    if (URN_SAFE.test(ch)) nss += ch;
    else for (const byte of utf8.encode(ch)) nss += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return `urn:icat-hub:publication:${nss}`;
}

const LANGUAGE_TAG = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;

/** A BCP 47-shaped language tag, or undefined. */
export function cleanLanguage(value: string | undefined): string | undefined {
  const cleaned = cleanText(value);
  return cleaned !== undefined && LANGUAGE_TAG.test(cleaned) ? cleaned : undefined;
}

const MIME_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/;

/** A bare media type (parameters dropped), or application/octet-stream when unknown or malformed. */
export function cleanMediaType(value: string | undefined): string {
  const bare = cleanText(value)?.split(';')[0]?.trim();
  return bare !== undefined && MIME_TYPE.test(bare) ? bare.toLowerCase() : 'application/octet-stream';
}

/**
 * The generator pretty-prints, which puts a newline and indentation around every CDATA section:
 * `<title>\n    <![CDATA[A & B]]>\n  </title>`. Readers that do not trim would show that
 * whitespace in titles and links, so it is removed here. Scans rather than uses a global regex
 * so that text inside a CDATA section is never touched: the generator splits any `]]>` in content,
 * so the first `]]>` after `<![CDATA[` is always the real end of the section.
 */
export function tightenCdata(xml: string): string {
  let out = '';
  let pos = 0;
  for (;;) {
    const start = xml.indexOf('<![CDATA[', pos);
    if (start === -1) break;
    const end = xml.indexOf(']]>', start + 9);
    if (end === -1) break;
    out += xml.slice(pos, start).replace(/>\s+$/, '>');
    out += xml.slice(start, end + 3);
    pos = end + 3;
    const after = /^\s+<\//.exec(xml.slice(pos, pos + 200));
    if (after) pos += after[0].length - 2;
  }
  return out + xml.slice(pos);
}
