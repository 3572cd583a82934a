// The languages the hub writes, and how a request or a stored tag picks one. Apart from the message
// catalogues (index.ts) so that code that only needs the language (a member's, a cookie's) does not
// load every catalogue.
export const LANGUAGES = ['en', 'fr', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** BCP 47 locales for Intl: English as the UN writes it (2 November 2026), not the US default. */
export const LOCALES: Record<Language, string> = { en: 'en-GB', fr: 'fr', es: 'es' };

/** A supported language for a stored or given tag ("fr-CA" is French), else undefined. */
export function supportedLanguage(tag: unknown): Language | undefined {
  const p = typeof tag === 'string' ? tag.trim().toLowerCase().split('-')[0] : undefined;
  return (LANGUAGES as readonly string[]).includes(p ?? '') ? (p as Language) : undefined;
}

/** The language to use: an explicit choice (?lang= or the cookie) if supported, else Accept-Language, else English. */
export function chooseLanguage(explicit: string | undefined, acceptLanguage: string | undefined): Language {
  const pick = supportedLanguage(explicit);
  if (pick) return pick;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...ps] = part.trim().split(';');
      const q = Number(ps.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? '1');
      return { tag: tag ?? '', q: Number.isFinite(q) ? q : 0 };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const l = supportedLanguage(tag);
    if (l) return l;
  }
  return 'en';
}
