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
  if (TRACKING_PARAMS.has(n)) return true;
  for (const prefix of TRACKING_PREFIXES) if (n.startsWith(prefix)) return true;
  return false;
}

/** True when `href` carries its own scheme (it does not need a base to be absolute). */
export function isAbsoluteUrl(href: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(href.trim());
}

/**
 * `href` resolved against `base` by the WHATWG URL parser, or undefined when it cannot be made
 * absolute: relative without a usable base, invalid, or any href with an unparseable base (the
 * parser rejects a bad base even for an absolute href). Not URL.canParse: on Node 20 its optimised
 * form answers false for valid URLs holding Latin-1 characters once it has been called often enough.
 */
function parseUrl(href: string | undefined, base: string | undefined): URL | undefined {
  const h = href?.trim();
  if (!h) return undefined;
  try {
    return new URL(h, base || undefined);
  } catch {
    return undefined;
  }
}

/** The absolute URL (any scheme) for `href` against `base`, serialised, or undefined. */
export function resolveUrl(href: string | undefined, base?: string): string | undefined {
  return parseUrl(href, base)?.href;
}

/** Joins nested xml:base values: `inner` is resolved against `outer`; an unusable inner is ignored. */
export function joinBase(outer: string | undefined, inner: string | undefined): string | undefined {
  if (!inner?.trim()) return outer;
  return resolveUrl(inner, outer) ?? outer;
}

/** An absolute http(s) URL for `href` (fragment and query kept), or undefined. For enclosures and links in HTML. */
export function absoluteHttpUrl(href: string | undefined, base?: string): string | undefined {
  const url = parseUrl(href, base);
  return url && (url.protocol === 'http:' || url.protocol === 'https:') ? url.href : undefined;
}

export function canonicalLink(href: string | undefined, base?: string): string | undefined {
  // The URL parser already lower-cases scheme and host and drops default ports.
  let abs = absoluteHttpUrl(href, base);
  if (!abs) return undefined;
  // Worked on the serialised URL, where the first "#" starts the fragment and the first "?" the
  // query (the parser percent-encodes both anywhere before them).
  const hash = abs.indexOf('#');
  if (hash >= 0) abs = abs.slice(0, hash);
  const query = abs.indexOf('?');
  if (query >= 0 && query < abs.length - 1) {
    // Filter the raw query rather than going through URLSearchParams, which would re-encode the
    // parameters that are kept (spaces, "+", reserved characters) and so change the URL. Empty
    // pairs ("a=1&&b=2") go too.
    let kept = '';
    let all = true;
    for (let start = query + 1; ; ) {
      const amp = abs.indexOf('&', start);
      const end = amp < 0 ? abs.length : amp;
      if (end > start && !isTrackingParam(decodeName(pairName(abs, start, end)))) kept += kept ? `&${abs.slice(start, end)}` : abs.slice(start, end);
      else all = false;
      if (amp < 0) break;
      start = amp + 1;
    }
    if (!all) abs = kept ? abs.slice(0, query + 1) + kept : abs.slice(0, query);
  }
  return abs;
}

/** The name of the query pair abs[start, end): what comes before its "=". */
function pairName(abs: string, start: number, end: number): string {
  const eq = abs.indexOf('=', start);
  return abs.slice(start, eq < 0 || eq > end ? end : eq);
}

function decodeName(name: string): string {
  if (!name.includes('%') && !name.includes('+')) return name;
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
