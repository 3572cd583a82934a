import { describe, expect, it } from 'vitest';
import { absoluteHttpUrl, canonicalLink, isTrackingParam, joinBase, linkIdentity } from '../../shared/core/links.ts';

describe('canonicalLink', () => {
  it.each([
    ['HTTPS://Example.ORG:443/Path?a=1#frag', 'https://example.org/Path?a=1'],
    ['http://example.org:80/x', 'http://example.org/x'],
    ['http://example.org:8080/x', 'http://example.org:8080/x'],
    ['https://example.org/p?utm_source=rss&utm_medium=feed&utm_x_custom=1&id=7', 'https://example.org/p?id=7'],
    ['https://example.org/p?fbclid=1&b=2&gclid=3&a=1&dclid=4&msclkid=5', 'https://example.org/p?b=2&a=1'],
    ['https://example.org/p?mc_cid=1&mc_eid=2&_hsenc=3&_hsmi=4&igshid=5&yclid=6&_ga=7&ref_src=8', 'https://example.org/p'],
    ['https://example.org/p?UTM_SOURCE=x&q=a+b%20c&q=2', 'https://example.org/p?q=a+b%20c&q=2'],
    ['  https://example.org/trim  ', 'https://example.org/trim'],
  ])('%s -> %s', (href, expected) => {
    expect(canonicalLink(href)).toBe(expected);
  });

  it('resolves relative links against the base', () => {
    expect(canonicalLink('../b/c?x=1', 'https://example.org/a/d/')).toBe('https://example.org/a/b/c?x=1');
    expect(canonicalLink('/root', 'https://example.org/a/d/')).toBe('https://example.org/root');
    expect(canonicalLink('//cdn.example.net/f', 'https://example.org/')).toBe('https://cdn.example.net/f');
  });

  it('drops links it cannot make absolute http(s)', () => {
    expect(canonicalLink('relative/only')).toBeUndefined();
    expect(canonicalLink('javascript:alert(1)', 'https://example.org/')).toBeUndefined();
    expect(canonicalLink('data:text/html,hi', 'https://example.org/')).toBeUndefined();
    expect(canonicalLink('mailto:a@example.org')).toBeUndefined();
    expect(canonicalLink('ftp://example.org/file')).toBeUndefined();
    expect(canonicalLink('http://')).toBeUndefined();
    expect(canonicalLink('')).toBeUndefined();
    expect(canonicalLink(undefined)).toBeUndefined();
  });
});

describe('linkIdentity', () => {
  it('is the same for the http and https forms of one URL', () => {
    const a = canonicalLink('http://example.org/paper?utm_source=x');
    const b = canonicalLink('https://EXAMPLE.org/paper#abstract');
    expect(a).not.toBe(b);
    expect(linkIdentity(a as string)).toBe(linkIdentity(b as string));
    expect(linkIdentity('https://example.org/paper')).toBe('//example.org/paper');
  });

  it('differs for different paths or hosts', () => {
    expect(linkIdentity('https://example.org/a')).not.toBe(linkIdentity('https://example.org/b'));
    expect(linkIdentity('https://example.org/a')).not.toBe(linkIdentity('https://example.net/a'));
  });
});

describe('joinBase', () => {
  it('resolves nested xml:base values against the outer one', () => {
    const feed = joinBase('https://example.org/feeds/main.xml', '/research/');
    const entry = joinBase(feed, 'papers/2024/');
    expect(feed).toBe('https://example.org/research/');
    expect(entry).toBe('https://example.org/research/papers/2024/');
    expect(joinBase(entry, 'https://other.example.com/x/')).toBe('https://other.example.com/x/');
  });

  it('keeps the outer base when the inner one is missing or unusable', () => {
    expect(joinBase('https://example.org/a/', undefined)).toBe('https://example.org/a/');
    expect(joinBase('https://example.org/a/', '  ')).toBe('https://example.org/a/');
    expect(joinBase(undefined, 'relative/')).toBeUndefined();
  });
});

describe('absoluteHttpUrl', () => {
  it('keeps query and fragment (for enclosures and links in HTML)', () => {
    expect(absoluteHttpUrl('f.pdf?v=2&utm_source=x#p3', 'https://example.org/d/')).toBe('https://example.org/d/f.pdf?v=2&utm_source=x#p3');
    expect(absoluteHttpUrl('javascript:void(0)', 'https://example.org/')).toBeUndefined();
  });
});

describe('isTrackingParam', () => {
  it('matches known trackers and utm_* only', () => {
    expect(isTrackingParam('utm_anything')).toBe(true);
    expect(isTrackingParam('FBCLID')).toBe(true);
    expect(isTrackingParam('ref')).toBe(false);
    expect(isTrackingParam('page')).toBe(false);
  });
});

describe('canonicalLink, worked on the serialised URL', () => {
  /** The definition it was first written as: the URL object's own setters and getters. */
  function byUrlObject(href: string, base?: string): string | undefined {
    let url: URL;
    try {
      url = new URL(href.trim(), base || undefined);
    } catch {
      return undefined;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    url.hash = '';
    if (url.search) {
      const name = (pair: string) => {
        const n = pair.split('=')[0] ?? '';
        try {
          return decodeURIComponent(n.replace(/\+/g, ' '));
        } catch {
          return n;
        }
      };
      const kept = url.search.slice(1).split('&').filter((pair) => pair !== '' && !isTrackingParam(name(pair)));
      url.search = kept.length ? `?${kept.join('&')}` : '';
    }
    return url.href;
  }

  it('gives what the URL object gives, for generated queries and fragments', () => {
    const pieces = ['a=1', 'b', '', '=', '==x', 'utm_source=rss', 'UTM_Medium=feed', 'fbclid=9', '%75tm_x=1', 'utm%5Fy=2', 'q=a+b%20c', 'x=%zz', '+', 'spm', 'p=1?2', "o='k'", 'é=ü', ' sp=1'];
    let seed = 5150;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let n = 0; n < 5000; n++) {
      const query = Array.from({ length: Math.floor(random() * 6) }, () => pieces[Math.floor(random() * pieces.length)]).join('&');
      const fragment = random() < 0.3 ? `#${random() < 0.5 ? 'top' : ''}` : '';
      const href = `${random() < 0.5 ? 'https://Example.org:443/p' : '/rel/p'}${random() < 0.9 ? '?' : ''}${query}${fragment}`;
      expect(canonicalLink(href, 'https://example.org/feed'), href).toBe(byUrlObject(href, 'https://example.org/feed'));
    }
  });
});
