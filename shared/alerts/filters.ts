// What a subscriber asks for, checked, and whether a publication matches it. Pure: no I/O.
//
// Matching: every non-empty filter must match (members AND categories AND languages AND keywords);
// inside one filter any value will do. Categories compare without case or accents. A language filter
// "en" takes "en" and "en-GB"; a publication whose feed states no language is not excluded by it
// (the hub cannot know, and silence is worse than one alert too many). A keyword matches where a word
// of the title, summary or categories begins: "traffick" finds "trafficking", "act" does not find
// "impact".
import { ValidationError } from '../errors.ts';
import { FREQUENCIES, type AlertFilters, type AlertPublication, type Frequency } from '../ports/subscriptions.ts';

export const LIMITS = { members: 60, categories: 20, languages: 10, keywords: 20 } as const;
const LANGUAGE = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/;

export const NO_FILTERS: AlertFilters = { members: [], categories: [], languages: [], keywords: [] };

/** Lower case, accents removed, anything but letters and digits as single spaces. */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function list(name: keyof AlertFilters, raw: unknown, problems: string[]): string[] {
  if (raw === undefined || raw === null) return [];
  const items = typeof raw === 'string' ? raw.split(/[,\n]/) : raw;
  if (!Array.isArray(items) || !items.every((v) => typeof v === 'string')) {
    problems.push(`${name}: a list of strings`);
    return [];
  }
  const values = [...new Set(items.map((v: string) => v.trim().replace(/\s+/g, ' ')).filter((v) => v !== ''))];
  if (values.length > LIMITS[name]) problems.push(`${name}: at most ${LIMITS[name]}`);
  return values.slice(0, LIMITS[name]);
}

export interface SubscriptionChoice {
  filters: AlertFilters;
  frequency: Frequency;
}

/**
 * Filters and frequency from a request (JSON lists, or comma-separated text from a form); member ids
 * must be known, so that a typo cannot silently mean "never". Throws one ValidationError listing
 * every problem.
 */
export function parseChoice(input: Record<string, unknown>, knownMembers: ReadonlySet<string>, fallback?: Frequency): SubscriptionChoice {
  const problems: string[] = [];
  const members = list('members', input.members, problems).map((m) => m.toLowerCase());
  const unknown = members.filter((m) => !knownMembers.has(m));
  if (unknown.length > 0) problems.push(`members: unknown member ${unknown.map((m) => `"${m.slice(0, 40)}"`).join(', ')} (see GET /api/members)`);
  const categories = list('categories', input.categories, problems);
  if (categories.some((c) => c.length > 100)) problems.push('categories: at most 100 characters each');
  const languages = list('languages', input.languages, problems).map((l) => l.toLowerCase());
  if (!languages.every((l) => LANGUAGE.test(l))) problems.push('languages: language tags like "en", "fr" or "es-419"');
  const keywords = list('keywords', input.keywords, problems);
  if (keywords.some((k) => fold(k).length < 2 || k.length > 100)) problems.push('keywords: 2 to 100 characters each, with letters or digits');
  const frequency = (input.frequency ?? fallback) as Frequency;
  if (!FREQUENCIES.includes(frequency)) problems.push('frequency: "instant", "daily" or "weekly"');
  if (problems.length > 0) throw new ValidationError('invalid_subscription', `The subscription is not valid: ${problems.join('; ')}.`, { details: { problems } });
  return { filters: { members, categories, languages, keywords }, frequency };
}

export function matches(pub: AlertPublication, filters: AlertFilters): boolean {
  if (filters.members.length > 0 && !pub.members.some((m) => filters.members.includes(m))) return false;
  if (filters.categories.length > 0) {
    const wanted = new Set(filters.categories.map(fold));
    if (!pub.categories.some((c) => wanted.has(fold(c)))) return false;
  }
  if (filters.languages.length > 0 && pub.language) {
    const lang = pub.language.toLowerCase();
    if (!filters.languages.some((l) => lang === l || lang.startsWith(`${l}-`))) return false;
  }
  if (filters.keywords.length > 0) {
    const text = ` ${fold([pub.title, pub.summary ?? '', ...pub.categories].join(' '))}`;
    if (!filters.keywords.some((k) => text.includes(` ${fold(k)}`))) return false;
  }
  return true;
}

export function describeFilters(filters: AlertFilters, memberLabel: (id: string) => string): string[] {
  const lines: string[] = [];
  lines.push(filters.members.length ? `Members: ${filters.members.map(memberLabel).join(', ')}` : 'Members: all');
  if (filters.categories.length) lines.push(`Categories: ${filters.categories.join(', ')}`);
  if (filters.languages.length) lines.push(`Languages: ${filters.languages.join(', ')}`);
  if (filters.keywords.length) lines.push(`Keywords: ${filters.keywords.join(', ')}`);
  return lines;
}
