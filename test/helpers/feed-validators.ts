// Independent checks for generated feeds: xmllint for XML well-formedness, Debian's
// python3-feedparser as a reader that did not write them, and a JSON Feed 1.1 checker
// (feedparser 6.0.x has no JSON Feed parser; it arrived after 6.0 on feedparser's main branch).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const XMLLINT = '/usr/bin/xmllint';
// Not the `python3` on PATH: that one is a separate install without feedparser.
const PYTHON = '/usr/bin/python3';

/** Throws with xmllint's own message when `xml` is not well-formed. */
export function assertWellFormedXml(xml: string): void {
  if (!existsSync(XMLLINT)) {
    throw new Error(`${XMLLINT} not found: install the Debian package libxml2-utils (apt-get install -y libxml2-utils)`);
  }
  // --nonet: never fetch a DTD or entity from anywhere.
  const run = spawnSync(XMLLINT, ['--noout', '--nonet', '-'], { input: xml, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw new Error(`could not run ${XMLLINT}: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`xmllint: not well-formed XML:\n${run.stderr.trim()}`);
}

export interface FeedparserLink {
  href?: string;
  rel?: string;
  type?: string;
  length?: string;
  title?: string;
}

export interface FeedparserPerson {
  name?: string;
  email?: string;
  href?: string;
}

export interface FeedparserTag {
  term?: string;
  scheme?: string | null;
  label?: string | null;
}

export interface FeedparserEntry {
  id?: string;
  title?: string;
  /** Language of the entry's title as feedparser resolved it (xml:lang). */
  language?: string | null;
  link?: string;
  links: FeedparserLink[];
  /** UTC ISO 8601 (seconds) of feedparser's parsed date; the text as written is in `published_raw`. */
  published?: string;
  published_raw?: string;
  updated?: string;
  updated_raw?: string;
  summary?: string;
  content: { value?: string; type?: string; language?: string | null }[];
  tags: FeedparserTag[];
  enclosures: FeedparserLink[];
  authors: FeedparserPerson[];
  contributors: FeedparserPerson[];
  /** The name feedparser shows as the entry's author (from atom:author or dc:creator). */
  author?: string;
  /** The entry's publisher as feedparser read it (dc:publisher). */
  publisher?: string;
  guidislink?: boolean;
}

export interface FeedparserResult {
  /** e.g. "rss20", "atom10"; "" when feedparser did not recognise the document. */
  version: string;
  bozo: boolean;
  bozo_exception?: string;
  feed: {
    title?: string;
    subtitle?: string;
    link?: string;
    links: FeedparserLink[];
    id?: string;
    language?: string;
    updated?: string;
    generator?: string;
    authors: FeedparserPerson[];
  };
  entries: FeedparserEntry[];
}

const SCRIPT = String.raw`
import sys, json, time, importlib.util
try:
    import feedparser
except ImportError:
    print(json.dumps({"__error": "missing"})); sys.exit(0)
body = sys.stdin.buffer.read()
if body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") and importlib.util.find_spec("feedparser.parsers.json") is None:
    print(json.dumps({"__error": "nojson", "version": feedparser.__version__})); sys.exit(0)
d = feedparser.parse(body)
def iso(st):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", st) if st else None
def plain(v):
    if isinstance(v, dict): return {k: plain(x) for k, x in v.items() if not k.endswith("_parsed")}
    if isinstance(v, list): return [plain(x) for x in v]
    return v
def dated(src, out, key):
    if src.get(key) is not None:
        out[key + "_raw"] = src.get(key)
        out[key] = iso(src.get(key + "_parsed"))
f = d.get("feed", {})
feed = {k: f.get(k) for k in ("title", "subtitle", "link", "id", "language", "generator") if f.get(k) is not None}
feed["links"] = plain(f.get("links", [])); feed["authors"] = plain(f.get("authors", []))
dated(f, feed, "updated")
entries = []
for e in d.get("entries", []):
    out = {k: e.get(k) for k in ("id", "title", "link", "summary", "guidislink", "author", "publisher") if e.get(k) is not None}
    out["language"] = (e.get("title_detail") or {}).get("language")
    for key in ("links", "content", "tags", "enclosures", "authors", "contributors"):
        out[key] = plain(e.get(key, []))
    dated(e, out, "published"); dated(e, out, "updated")
    entries.append(out)
res = {"version": d.get("version", ""), "bozo": bool(d.get("bozo")), "feed": feed, "entries": entries}
if d.get("bozo"): res["bozo_exception"] = str(d.get("bozo_exception"))
print(json.dumps(res))
`;

/** Parses `body` with Debian's python3-feedparser (run by /usr/bin/python3) and returns what it read. */
export async function parseWithFeedparser(body: string): Promise<FeedparserResult> {
  if (!existsSync(PYTHON)) {
    throw new Error(`${PYTHON} not found: install the Debian packages python3 and python3-feedparser (apt-get install -y python3-feedparser)`);
  }
  const stdout = await runWithStdin(PYTHON, ['-c', SCRIPT], body);
  const parsed = JSON.parse(stdout) as FeedparserResult & { __error?: string; version?: string };
  if (parsed.__error === 'missing') {
    throw new Error(`feedparser is not importable by ${PYTHON}: install the Debian package python3-feedparser (apt-get install -y python3-feedparser)`);
  }
  if (parsed.__error === 'nojson') {
    throw new Error(`feedparser ${parsed.version} cannot read JSON Feed; check JSON documents with assertValidJsonFeed`);
  }
  return parsed;
}

function runWithStdin(cmd: string, args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`${cmd} exited with ${code}: ${Buffer.concat(err).toString('utf8').trim()}`));
    });
    child.stdin.on('error', reject);
    child.stdin.end(input, 'utf8');
  });
}

export interface JsonFeedAuthor {
  name?: string;
  url?: string;
  avatar?: string;
}

export interface JsonFeedItem {
  id: string;
  url?: string;
  title?: string;
  content_html?: string;
  content_text?: string;
  date_published?: string;
  date_modified?: string;
  tags?: string[];
  authors?: JsonFeedAuthor[];
  language?: string;
  attachments?: { url: string; mime_type: string; title?: string; size_in_bytes?: number }[];
}

export interface JsonFeedDocument {
  version: string;
  title: string;
  home_page_url?: string;
  feed_url?: string;
  description?: string;
  language?: string;
  authors?: JsonFeedAuthor[];
  items: JsonFeedItem[];
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses `body` and checks it against JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/):
 * required members, member types, absolute URLs, RFC 3339 dates, unique item ids.
 * Throws one error listing every problem found.
 */
export function assertValidJsonFeed(body: string): JsonFeedDocument {
  const doc: unknown = JSON.parse(body);
  const problems: string[] = [];
  const check = (ok: boolean, problem: string): void => {
    if (!ok) problems.push(problem);
  };
  if (!isObject(doc)) throw new Error('JSON Feed: top level is not an object');
  check(doc.version === 'https://jsonfeed.org/version/1.1', `version is ${JSON.stringify(doc.version)}`);
  check(typeof doc.title === 'string' && doc.title !== '', 'title is missing or empty');
  for (const key of ['description', 'user_comment', 'language']) optionalString(doc, key, 'feed', check);
  for (const key of ['home_page_url', 'feed_url', 'next_url', 'icon', 'favicon']) optionalUrl(doc, key, 'feed', check);
  checkAuthors(doc.authors, 'feed', check);
  if (Array.isArray(doc.items)) checkItems(doc.items, check);
  else problems.push('items is not an array');
  if (problems.length > 0) throw new Error(`not a valid JSON Feed 1.1:\n  - ${problems.join('\n  - ')}`);
  return doc as unknown as JsonFeedDocument;
}

type Check = (ok: boolean, problem: string) => void;

function checkItems(items: unknown[], check: Check): void {
  const ids = new Set<string>();
  items.forEach((item, i) => {
    const at = `items[${i}]`;
    if (!isObject(item)) return check(false, `${at} is not an object`);
    if (typeof item.id === 'string' && item.id !== '') {
      check(!ids.has(item.id), `${at}.id repeats ${item.id}`);
      ids.add(item.id);
    } else {
      check(false, `${at}.id is missing or not a string`);
    }
    check(typeof item.content_html === 'string' || typeof item.content_text === 'string', `${at} has neither content_html nor content_text`);
    for (const key of ['title', 'content_html', 'content_text', 'summary', 'language']) optionalString(item, key, at, check);
    for (const key of ['url', 'external_url', 'image', 'banner_image']) optionalUrl(item, key, at, check);
    for (const key of ['date_published', 'date_modified']) {
      const v = item[key];
      if (v !== undefined) check(typeof v === 'string' && RFC3339.test(v) && !Number.isNaN(Date.parse(v)), `${at}.${key} is not RFC 3339: ${String(v)}`);
    }
    const tags = item.tags;
    if (tags !== undefined) check(Array.isArray(tags) && tags.every((t) => typeof t === 'string'), `${at}.tags is not a list of strings`);
    checkAuthors(item.authors, at, check);
    if (item.attachments === undefined) return;
    if (!Array.isArray(item.attachments)) return check(false, `${at}.attachments is not an array`);
    item.attachments.forEach((a: unknown, j: number) => checkAttachment(a, `${at}.attachments[${j}]`, check));
  });
}

function checkAttachment(a: unknown, at: string, check: Check): void {
  if (!isObject(a)) return check(false, `${at} is not an object`);
  check(isAbsoluteUrl(a.url), `${at}.url is not an absolute URL`);
  check(typeof a.mime_type === 'string' && /^[^/\s]+\/[^/\s]+$/.test(a.mime_type), `${at}.mime_type is missing or malformed`);
  for (const key of ['size_in_bytes', 'duration_in_seconds']) {
    const v = a[key];
    if (v !== undefined) check(typeof v === 'number' && Number.isFinite(v) && v >= 0, `${at}.${key} is not a non-negative number`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isAbsoluteUrl(v: unknown): boolean {
  return typeof v === 'string' && URL.canParse(v);
}

function optionalString(o: Record<string, unknown>, key: string, at: string, check: Check): void {
  if (o[key] !== undefined) check(typeof o[key] === 'string', `${at}.${key} is not a string`);
}

function optionalUrl(o: Record<string, unknown>, key: string, at: string, check: Check): void {
  if (o[key] !== undefined) check(isAbsoluteUrl(o[key]), `${at}.${key} is not an absolute URL: ${String(o[key])}`);
}

function checkAuthors(authors: unknown, at: string, check: Check): void {
  if (authors === undefined) return;
  const ok =
    Array.isArray(authors) &&
    authors.every((a) => isObject(a) && ['name', 'url', 'avatar'].some((k) => typeof a[k] === 'string') && Object.values(a).every((v) => typeof v === 'string'));
  check(ok, `${at}.authors is not a list of {name, url, avatar}`);
}
