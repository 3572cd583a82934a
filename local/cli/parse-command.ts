// `parse <file|url>`: shows what the hub reads from one feed, as JSON. A member's first check
// when a feed misbehaves, and the parser's manual test bench. I/O is injected.
import type { NormalisedFeed, NormalisedItem } from '../../shared/model.ts';
import { HubError, ParseError } from '../../shared/errors.ts';
import { parseFeed } from '../../shared/core/parse.ts';
import { EX_USAGE } from './exit-codes.ts';

export interface ParseCommandIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readFile: (p: string) => Promise<Buffer>;
  fetchUrl: (url: string) => Promise<{ body: Buffer; contentType?: string; finalUrl: string }>;
}

export const PARSE_USAGE = `Usage: parse <file|url> [--base-url URL] [--help]

Reads one feed (RSS, Atom or JSON Feed) from a file or an http(s) address and prints what the hub
makes of it, as JSON. Warnings go to stderr.

  --base-url URL  the feed's address, for relative links and item ids (a URL source uses its
                  final address by default; a file has none unless given)
  --help          show this text

Exit codes: 0 parsed, 1 could not read the source, 2 not a feed we can read, 64 wrong usage.`;

export async function runParse(argv: string[], io: ParseCommandIo): Promise<number> {
  const args = parseArgs(argv);
  if ('help' in args) {
    io.stdout(`${PARSE_USAGE}\n`);
    return 0;
  }
  if ('error' in args) {
    io.stderr(`error: ${args.error}\n${PARSE_USAGE}\n`);
    return EX_USAGE;
  }
  let input: { body: Buffer; contentType?: string; url?: string };
  try {
    if (/^https?:\/\//i.test(args.source)) {
      const fetched = await io.fetchUrl(args.source);
      input = { body: fetched.body, contentType: fetched.contentType, url: args.baseUrl ?? fetched.finalUrl };
    } else {
      input = { body: await io.readFile(args.source), url: args.baseUrl };
    }
  } catch (err) {
    io.stderr(`error: could not read ${args.source}: ${oneLine(err)}\n`);
    return 1;
  }
  let feed: NormalisedFeed;
  try {
    feed = parseFeed(input);
  } catch (err) {
    if (err instanceof ParseError) {
      io.stderr(`error: ${oneLine(err)}\n`);
      return 2;
    }
    io.stderr(`error: unexpected failure while reading the feed: ${oneLine(err)}\n`);
    return 1;
  }
  for (const w of feed.warnings) io.stderr(`warning: ${w}\n`);
  io.stdout(`${JSON.stringify(toJson(feed), null, 2)}\n`);
  return 0;
}

type Args = { help: true } | { error: string } | { source: string; baseUrl?: string };

function parseArgs(argv: string[]): Args {
  let source: string | undefined;
  let baseUrl: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--help' || a === '-h') return { help: true };
    if (a === '--base-url' || a.startsWith('--base-url=')) {
      baseUrl = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!baseUrl || !/^https?:\/\/[^/]/i.test(baseUrl) || !URL.canParse(baseUrl)) {
        return { error: '--base-url needs an absolute http(s) address' };
      }
    } else if (a.startsWith('-') && a !== '-') {
      return { error: `unknown option ${a}` };
    } else if (source === undefined) {
      source = a;
    } else {
      return { error: `unexpected argument ${a}` };
    }
  }
  return source === undefined ? { error: 'give a file or an http(s) address' } : { source, baseUrl };
}

function toJson(feed: NormalisedFeed) {
  return { format: feed.format, title: feed.title ?? null, link: feed.link ?? null, items: feed.items.map(itemJson) };
}

function itemJson(item: NormalisedItem) {
  return {
    id: item.id,
    guid: item.guid ?? null,
    title: item.title,
    link: item.link ?? null,
    published: item.published?.iso ?? null,
    ...(item.published && !item.published.iso ? { published_raw: item.published.raw } : {}),
    updated: item.updated?.iso ?? null,
    ...(item.updated && !item.updated.iso ? { updated_raw: item.updated.raw } : {}),
    summary: item.summary ?? null,
    text: item.text ?? null,
    categories: item.categories,
    enclosures: item.enclosures.map((e) => ({ url: e.url, type: e.type ?? null, length: e.length ?? null })),
    authors: item.authors,
    language: item.language ?? null,
  };
}

function oneLine(err: unknown): string {
  const message = err instanceof HubError || err instanceof Error ? err.message : String(err);
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
