// What a member may set on a feed, validated: a title, defaults for its items, paused or not.
import { ValidationError } from '../errors.ts';
import type { FeedDefaults } from '../model.ts';

const LANGUAGE = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i;

/** `{language?, categories?}`: a BCP 47 language tag and at most 20 categories of 1-100 characters. */
export function parseFeedDefaults(raw: unknown): FeedDefaults | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ValidationError('invalid_defaults', 'defaults must be an object like {"language": "en", "categories": ["Research"]}.');
  const { language, categories } = raw as { language?: unknown; categories?: unknown };
  const out: FeedDefaults = {};
  if (language !== undefined && language !== null && language !== '') {
    if (typeof language !== 'string' || !LANGUAGE.test(language)) throw new ValidationError('invalid_defaults', `defaults.language must be a language tag like "en" or "fr-CH".`);
    const [primary, ...rest] = language.split('-');
    out.language = [primary!.toLowerCase(), ...rest.map((p) => (p.length === 2 ? p.toUpperCase() : p))].join('-');
  }
  if (categories !== undefined && categories !== null) {
    if (!Array.isArray(categories) || categories.length > 20) throw new ValidationError('invalid_defaults', 'defaults.categories must be a list of at most 20 names.');
    const names = categories.map((c) => (typeof c === 'string' ? c.trim() : ''));
    if (names.some((c) => c.length < 1 || c.length > 100)) throw new ValidationError('invalid_defaults', 'Each category must be 1 to 100 characters.');
    out.categories = [...new Set(names)];
  }
  return out.language || out.categories?.length ? out : undefined;
}

export function parseFeedTitle(raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string' || raw.trim().length === 0 || raw.trim().length > 200) throw new ValidationError('invalid_title', 'title must be 1 to 200 characters.');
  return raw.trim();
}
