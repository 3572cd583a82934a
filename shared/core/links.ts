// Links as the hub keeps them: absolute http(s), resolved against xml:base and the feed's URL,
// with the parts that do not change what is linked to (fragment, default port, tracking
// parameters) removed, so that one publication has one link whoever carries it.

// Query parameters that only say where a click came from. Matched case-insensitively.
const TRACKING_PARAMS = new Set([
  'fbclid', 'gclid', 'gclsrc', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'mc_cid', 'mc_eid', '_hsenc', '_hsmi',
  'igshid', 'yclid', '_ga', '_gl', 'ref_src', 'ref_url', 'twclid', 'ttclid', 'li_fat_id', 'mkt_tok',
  'oly_anon_id', 'oly_enc_id', 'vero_id', 'wickedid', 'rb_clickid', 's_cid', 'spm',
]);
const TRACKING_PREFIXES = ['utm_', 'pk_', 'mtm_', 'hsa_'];

export function isTrackingParam(name: string): boolean {
  const n = name.toLowerCase();
  return TRACKING_PARAMS.has(n) || TRACKING_PREFIXES.some((p) => n.startsWith(p));
}

/** True when `href` carries its own scheme (it does not need a base to be absolute). */
export function isAbsoluteUrl(href: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(href.trim());
}

/**
 * Resolves `href` against `base` with the WHATWG URL rules. Returns the absolute URL (any scheme),
 * or undefined when it cannot be made absolute (relative without a usable base, or invalid).
 */
export function resolveUrl(href: string | undefined, base?: string): string | undefined {
  const h = href?.trim();
  if (!h) return undefined;
  try {
    return new URL(h, base || undefined).href;
  } catch {
    return undefined;
  }
}

/** Joins nested xml:base values: `inner` is resolved against `outer`; an unusable inner is ignored. */
export function joinBase(outer: string | undefined, inner: string | undefined): string | undefined {
  if (!inner?.trim()) return outer;
  return resolveUrl(inner, outer) ?? outer;
}

/** An absolute http(s) URL for `href` (fragment and query kept), or undefined. For enclosures and links in HTML. */
export function absoluteHttpUrl(href: string | undefined, base?: string): string | undefined {
  const abs = resolveUrl(href, base);
  if (!abs) return undefined;
  const url = new URL(abs);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
}

export function canonicalLink(href: string | undefined, base?: string): string | undefined {
  const abs = absoluteHttpUrl(href, base);
  if (!abs) return undefined;
  // The URL parser already lower-cases scheme and host and drops default ports.
  const url = new URL(abs);
  url.hash = '';
  if (url.search) {
    // Filter the raw query rather than going through URLSearchParams, which would re-encode the
    // parameters that are kept (spaces, "+", reserved characters) and so change the URL.
    const kept = url.search
      .slice(1)
      .split('&')
      .filter((pair) => pair !== '' && !isTrackingParam(decodeName(pair.split('=')[0] ?? '')));
    url.search = kept.length ? `?${kept.join('&')}` : '';
  }
  return url.href;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/**
 * The part of a canonical link that names the publication: the http and https forms of one URL
 * are one publication (sites move to https, feeds lag behind).
 */
export function linkIdentity(canonical: string): string {
  return canonical.replace(/^https?:/i, '');
}
