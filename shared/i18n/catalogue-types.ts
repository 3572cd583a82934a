// The shapes of the message catalogues. English is the source of truth: its keys are the message
// keys, and every other language is typed as exactly that key set, so a missing, extra or misspelt
// key fails `tsc` rather than showing a raw key on a page or in a mail.

/** A message: text with `{name}` placeholders, or plural forms chosen with Intl.PluralRules by `{count}`. */
export type Message = string | PluralMessage;

/** CLDR plural categories; `other` is always required (it is also what a missing category falls back to). */
export type PluralMessage = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

export type Catalogue = Record<string, Message>;

/** A translation of an English catalogue: the same keys, no more, no fewer. */
export type Translation<T extends Catalogue> = { readonly [K in keyof T]: Message };
