// Escaping and link checks for everything the hub writes as HTML (mails and pages).
import { formatDay as formatWebDay } from '../i18n/format.ts';
import type { Language } from '../i18n/index.ts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** The URL when it is absolute http(s), else undefined: nothing else becomes a link. */
export function safeHttpUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** "2 November 2026", "2 novembre 2026", "2 de noviembre de 2026" (UTC), or undefined for anything that is not a date. */
export function formatDay(iso: string | undefined, lang: Language = 'en'): string | undefined {
  return formatWebDay(iso, lang);
}
