// Test-only: many realistic publications written straight through the store (no feeds, no polling),
// to measure the web pages and filtered feeds at the size the hub is built for (10,000).
import { createHash } from 'node:crypto';
import type { Publication } from '../../shared/model.ts';
import type { PublicationStore } from '../../shared/ports/store.ts';

const MEMBERS = ['unodc', 'iom', 'ilo', 'unhcr', 'unicef', 'ohchr', 'osce', 'coe', 'interpol', 'unwomen', 'worldbank', 'undp'];
const CATEGORIES = ['Research', 'Guidance', 'Statement', 'Event', 'Report', 'Policy brief', 'Training', 'Data', 'News', 'Toolkit', 'Case law', 'Victim support'];
const LANGUAGES = ['en', 'en', 'en', 'fr', 'es', 'ar', 'ru', 'en-GB', 'fr-CH'];
const TOPICS = ['trafficking in persons', 'forced labour', 'migrant smuggling', 'child protection', 'victim identification', 'supply chains', 'online exploitation', 'border management', 'refugee protection', 'prosecution', 'gender-based violence', 'data collection'];
const WORDS = ['global', 'regional', 'national', 'annual', 'practical', 'interim', 'updated', 'joint', 'thematic', 'comparative'];
const KINDS = ['report on', 'guidance on', 'study of', 'handbook on', 'statement on', 'webinar on', 'assessment of', 'toolkit for'];

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length]!;
}

/** The i-th publication of a deterministic set: dates one hour apart going back from `newest`. */
export function samplePublication(i: number, newest: Date): Publication {
  const sortDate = new Date(newest.getTime() - i * 3_600_000).toISOString();
  const topic = pick(TOPICS, i * 7 + 3);
  const title = `${pick(WORDS, i)} ${pick(KINDS, i * 3 + 1)} ${topic} ${2026 - (i % 5)} (#${i})`.replace(/^./, (c) => c.toUpperCase());
  const text = `This ${pick(KINDS, i * 3 + 1).split(' ')[0]} looks at ${topic} across ${10 + (i % 90)} countries, with findings on prevention, protection and prosecution, and recommendations for governments, civil society and the private sector. It draws on interviews, case files and official statistics collected between ${2019 + (i % 5)} and ${2024 + (i % 3)}.`;
  const members = i % 37 === 0 ? [pick(MEMBERS, i), pick(MEMBERS, i + 5)] : [pick(MEMBERS, i)];
  const id = `p${createHash('sha256').update(`sample-${i}`).digest('hex').slice(0, 24)}`;
  return {
    id,
    title,
    link: `https://www.example.org/${members[0]}/publications/${i}`,
    summary: `<p>${text}</p>${i % 4 === 0 ? `<p>Read the <a href="https://www.example.org/${members[0]}/publications/${i}">full text</a>.</p>` : ''}`,
    text,
    published: sortDate,
    authors: [],
    categories: i % 3 === 0 ? [pick(CATEGORIES, i), pick(CATEGORIES, i + 4)] : [pick(CATEGORIES, i)],
    enclosures: i % 2 === 0 ? [{ url: `https://www.example.org/${members[0]}/files/publication-${i}.pdf`, type: 'application/pdf', length: 250_000 + i * 17 }] : [],
    language: pick(LANGUAGES, i),
    members,
    feeds: members.map((m) => `f-${m}`),
    firstSeen: sortDate,
    sortDate,
    contentHash: id.slice(1, 17),
  };
}

/** Writes `count` sample publications, `chunk` at a time; returns them newest first. */
export async function seedPublications(store: PublicationStore, count: number, newest = new Date('2026-11-20T12:00:00Z'), chunk = 250): Promise<Publication[]> {
  const all = Array.from({ length: count }, (_, i) => samplePublication(i, newest));
  // Claimed far ahead: a poll cycle's sweep must not announce thousands of test items.
  const claimUntil = '2999-01-01T00:00:00.000Z';
  for (let i = 0; i < all.length; i += chunk) await store.createPublications(all.slice(i, i + chunk), claimUntil);
  return all;
}
