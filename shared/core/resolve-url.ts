// Resolving an href against a base by the WHATWG URL rules, without paying for the parser (or
// for the exception a failed parse throws) where the answer is known beforehand. The items of a
// feed share one base and mostly carry plain absolute or root-relative links, so the shortcuts
// below cover nearly every link; anything unusual goes through the URL class.

// An absolute http(s) URL with its "//" authority: the parser ignores any base for it, so it is
// parsed alone (a scheme without the slashes, "http:page", is relative to an http base).
const ABSOLUTE_HTTP = /^https?:\/\//i;

// Links the parser gives back character for character. Scheme and host in lower case; the host's
// last label starts with a letter (so it is no IPv4 address); no port, user or password; then
// only characters the parser leaves alone in a path, query and fragment. The test below also
// turns away "xn--" (IDNA checks it) and dot segments, "." and ".." written plainly or as %2e
// (the parser removes them).
const PLAIN = `[A-Za-z0-9\\-._~!$&()*+,;=:@%/]`;
const PLAIN_QUERY_FRAGMENT = `(?:\\?[A-Za-z0-9\\-._~!$&()*+,;=:@%/?]*)?(?:#[A-Za-z0-9\\-._~!$&()*+,;=:@%/?]*)?$`;
const PLAIN_ABSOLUTE = new RegExp(`^https?://(?:[a-z0-9-]+\\.)*[a-z][a-z0-9-]*/${PLAIN}*${PLAIN_QUERY_FRAGMENT}`);
const PLAIN_ROOT_RELATIVE = new RegExp(`^/(?!/)${PLAIN}*${PLAIN_QUERY_FRAGMENT}`);
const DOT_SEGMENT_OR_IDNA = /\/\.\.?(?:[/?#]|$)|%2e|xn--/i;

interface BaseInfo {
  /** "scheme://host[:port]" of an http(s) base without user or password, to put before "/path". */
  root?: string;
}

// The last base seen and what it is (undefined: it does not parse).
let lastBase = '';
let lastInfo: BaseInfo | undefined;

function baseInfo(base: string): BaseInfo | undefined {
  if (base !== lastBase) {
    lastBase = base;
    // Not URL.canParse: on Node 20 its optimised form answers false for valid URLs holding
    // Latin-1 characters ("https://\u00e9.example/") once it has been called often enough.
    try {
      const url = new URL(base);
      const http = url.protocol === 'http:' || url.protocol === 'https:';
      lastInfo = { root: http && !url.username && !url.password ? `${url.protocol}//${url.host}` : undefined };
    } catch {
      lastInfo = undefined;
    }
  }
  return lastInfo;
}

/**
 * The serialised URL (URL.href) of `href` resolved against `base`, or undefined when it cannot be
 * made absolute: relative without a usable base, invalid, or any href with an unparseable base
 * (the URL constructor rejects a bad base even for an absolute href).
 */
export function resolveHref(href: string | undefined, base: string | undefined): string | undefined {
  const h = href?.trim();
  if (!h) return undefined;
  let root: string | undefined;
  if (base) {
    const info = baseInfo(base);
    if (!info) return undefined;
    root = info.root;
  } else if (!h.includes(':')) {
    // Without a base only a URL with a scheme can parse, and a scheme ends with ':'.
    return undefined;
  }
  if (PLAIN_ABSOLUTE.test(h) && !DOT_SEGMENT_OR_IDNA.test(h)) return h;
  if (root !== undefined && PLAIN_ROOT_RELATIVE.test(h) && !DOT_SEGMENT_OR_IDNA.test(h)) return root + h;
  try {
    return (base && !ABSOLUTE_HTTP.test(h) ? new URL(h, base) : new URL(h)).href;
  } catch {
    return undefined;
  }
}

/** True for a serialised URL (as resolveHref returns) whose scheme is http or https. */
export function isHttpHref(href: string): boolean {
  return href.startsWith('https:') || href.startsWith('http:');
}
