// Publication ids: "p" + 26 lower-case base32 characters (130 bits) of a SHA-256, so deterministic
// (the same item always gets the same id, on any machine, in any poll) and, in practice,
// collision-free.
//
// What is hashed, in order:
//  1. The canonical link, when no other item of the same feed has the same one: "link:" + its
//     scheme-less identity. The product treats "same canonical link" as "same publication": a
//     joint paper carried by two members' feeds is one publication, a feed that changes an item's
//     guid keeps the id, and http/https or tracking-parameter variants of a URL do not split it.
//     The uniqueness check protects feeds whose items all link to one page (a listing page, the
//     home page): there the link says nothing about which item it is.
//  2. Else the guid. An absolute URI (http, https, urn, tag) is global by construction and is
//     hashed as is; anything else ("42", "post-7") only means something inside its feed, so it
//     is scoped by the feed's URL.
//  3. Else the item's content: feed URL, title, published date as written, and text.
// Items of one feed that still share an id are true duplicates; the caller keeps the first.
import { hash } from 'node:crypto';
import { linkIdentity } from './links.ts';

export interface IdSource {
  /** Canonical link (see links.ts). */
  link?: string;
  guid?: string;
  title: string;
  publishedRaw?: string;
  text?: string;
}

const BASE32_CODES = [...'abcdefghijklmnopqrstuvwxyz234567'].map((c) => c.charCodeAt(0));
// "p" and room for 26 characters, reused by every call.
const ID_CODES: number[] = ['p'.charCodeAt(0), ...new Array<number>(26).fill(0)];

/** "p" + the first 26 base32 characters of SHA-256(key). */
export function hashId(key: string): string {
  // The digest as a "binary" string (one character per byte) comes out of the native side
  // faster than a Buffer does.
  const digest = hash('sha256', key, 'binary');
  // 26 characters take 130 bits: the first 17 bytes, read 5 bits at a time, most significant first.
  // The characters are collected as codes and made into one flat string at the end (appending
  // them one by one would build a chain of 27 string pieces).
  const codes = ID_CODES;
  let n = 1;
  let bits = 0;
  let value = 0;
  for (let i = 0; i < 17; i++) {
    value = ((value << 8) | digest.charCodeAt(i)) & 0xffff;
    bits += 8;
    while (bits >= 5 && n < 27) {
      codes[n++] = BASE32_CODES[(value >>> (bits - 5)) & 31] as number;
      bits -= 5;
    }
  }
  return String.fromCharCode.apply(null, codes);
}

export function isGlobalGuid(guid: string): boolean {
  return /^(https?:\/\/|urn:|tag:)\S/i.test(guid);
}

/** Ids for the items of one feed, in the same order (see the derivation order above). */
export function deriveIds(items: readonly IdSource[], feedUrl?: string): string[] {
  const scope = feedUrl ?? '';
  const linkKeys = items.map((item) => (item.link ? linkIdentity(item.link) : undefined));
  const linkCounts = new Map<string, number>();
  for (const key of linkKeys) if (key !== undefined) linkCounts.set(key, (linkCounts.get(key) ?? 0) + 1);
  return items.map((item, i) => {
    const key = linkKeys[i];
    if (key !== undefined && linkCounts.get(key) === 1) return hashId(`link:${key}`);
    const guid = item.guid?.trim();
    if (guid) return hashId(isGlobalGuid(guid) ? `guid:${guid}` : `guid:${scope}\n${guid}`);
    return hashId(['item:', scope, item.title, item.publishedRaw ?? '', item.text ?? ''].join('\n'));
  });
}
