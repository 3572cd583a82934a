import { describe, expect, it } from 'vitest';
import { deriveIds, hashId, isGlobalGuid } from '../../shared/core/ids.ts';
import { canonicalLink } from '../../shared/core/links.ts';

const FEED_A = 'https://member-a.example.org/feed.xml';
const FEED_B = 'https://member-b.example.org/rss';
const ID = /^p[a-z2-7]{26}$/;

describe('hashId', () => {
  it('is "p" plus 26 lower-case base32 characters, deterministic', () => {
    expect(hashId('x')).toMatch(ID);
    expect(hashId('x')).toBe(hashId('x'));
    expect(hashId('x')).not.toBe(hashId('y'));
  });

  it('encodes the leading bits of SHA-256 in RFC 4648 base32', () => {
    // SHA-256("") = e3b0c442 98fc1c14 ...; its base32 (Python: base64.b32encode) starts as below.
    expect(hashId('')).toBe('p4oymiquy7qobjgx36tejs35zeq');
  });
});

describe('deriveIds', () => {
  it('derives the id from the canonical link, so http/https and tracking variants are one publication', () => {
    const [a] = deriveIds([{ link: canonicalLink('http://uni.example.org/paper/1?utm_source=rss'), title: 'A' }], FEED_A);
    const [b] = deriveIds([{ link: canonicalLink('https://uni.example.org/paper/1#abstract'), guid: 'x-9', title: 'B' }], FEED_B);
    expect(a).toMatch(ID);
    expect(a).toBe(b);
  });

  it('keeps the id when only the guid changes', () => {
    const before = deriveIds([{ link: 'https://uni.example.org/p/2', guid: 'old-guid', title: 'T' }], FEED_A);
    const after = deriveIds([{ link: 'https://uni.example.org/p/2', guid: 'new-guid', title: 'T (edited)' }], FEED_A);
    expect(after).toEqual(before);
  });

  it('does not use a link that several items of the feed share; uses their guids instead', () => {
    const items = [
      { link: 'https://uni.example.org/news', guid: 'n-1', title: 'One' },
      { link: 'http://uni.example.org/news', guid: 'n-2', title: 'Two' },
      { link: 'https://uni.example.org/news/3', guid: 'n-3', title: 'Three' },
    ];
    const ids = deriveIds(items, FEED_A);
    expect(new Set(ids).size).toBe(3);
    expect(ids[0]).toBe(hashId(`guid:${FEED_A}\nn-1`));
    expect(ids[2]).toBe(hashId('link://uni.example.org/news/3'));
  });

  it('scopes a feed-local guid by the feed URL but not a global one', () => {
    const local = { guid: '42', title: 'T' };
    expect(deriveIds([local], FEED_A)[0]).not.toBe(deriveIds([local], FEED_B)[0]);
    for (const guid of ['https://uni.example.org/?p=42', 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427', 'tag:uni.example.org,2024:42']) {
      expect(deriveIds([{ guid, title: 'T' }], FEED_A)[0]).toBe(deriveIds([{ guid, title: 'Other' }], FEED_B)[0]);
    }
  });

  it('falls back to the content when there is neither link nor guid', () => {
    const item = { title: 'Notice', publishedRaw: 'Mon, 01 Jan 2024 00:00:00 GMT', text: 'Body' };
    const [id] = deriveIds([item], FEED_A);
    expect(id).toBe(hashId(['item:', FEED_A, 'Notice', 'Mon, 01 Jan 2024 00:00:00 GMT', 'Body'].join('\n')));
    expect(deriveIds([{ ...item, text: 'Other body' }], FEED_A)[0]).not.toBe(id);
    expect(deriveIds([item], FEED_B)[0]).not.toBe(id);
  });

  it('gives true duplicates the same id (the caller keeps the first) and everything else distinct ids', () => {
    const dup = { title: 'Same', text: 'same' };
    const ids = deriveIds([dup, { title: 'Other' }, dup, { guid: 'g', title: 'Same' }], FEED_A);
    expect(ids[0]).toBe(ids[2]);
    expect(new Set([ids[0], ids[1], ids[3]]).size).toBe(3);
  });
});

describe('isGlobalGuid', () => {
  it('accepts http(s), urn and tag URIs only', () => {
    expect(isGlobalGuid('HTTPS://x.example/1')).toBe(true);
    expect(isGlobalGuid('urn:isbn:0451450523')).toBe(true);
    expect(isGlobalGuid('tag:x.example,2024:1')).toBe(true);
    expect(isGlobalGuid('12345')).toBe(false);
    expect(isGlobalGuid('mailto:a@example.org')).toBe(false);
    expect(isGlobalGuid('/relative/1')).toBe(false);
  });
});
