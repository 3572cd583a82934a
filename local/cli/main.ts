// icat-hub: serve | poll | parse. The same use cases as the Lambda handlers, behind a command line.
import { readFile } from 'node:fs/promises';
import { loadConfig } from '../../shared/config.ts';
import { HubError } from '../../shared/errors.ts';
import { createHttpFetcher } from '../../shared/adapters/http-fetcher.ts';
import { EX_USAGE } from './exit-codes.ts';
import { runParse } from './parse-command.ts';
import { runServe } from './serve-command.ts';
import { runPoll } from './poll-command.ts';

const HELP = `icat-hub: the ICAT Syndication Hub

Usage:
  icat-hub serve            run the hub: API and feeds on PORT, polling every POLL_INTERVAL
  icat-hub poll [--all]     run one polling cycle over the due feeds (every feed with --all) and exit
  icat-hub parse <file|url> [--base-url URL]
                            print a feed, normalised, as JSON
  icat-hub <command> --help

Exit codes, for every command: 0 done, 1 failed (configuration, a source that cannot be read, ...),
64 wrong usage (unknown command or option, missing argument); parse also exits 2 when the source is
not a feed it can read, poll 3 when some feeds failed.

Configuration comes from the environment; see README.md ("Configuration").
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const out = (s: string) => process.stdout.write(s);
  const err = (s: string) => process.stderr.write(s);
  switch (command) {
    case 'serve':
      return runServe(rest, { stdout: out, stderr: err });
    case 'poll':
      return runPoll(rest, { stdout: out, stderr: err });
    case 'parse': {
      const fetchUrl = async (url: string) => {
        const config = loadConfig();
        const fetched = await createHttpFetcher({ allowPrivateNetworks: config.allowPrivateNetworks, timeoutMs: config.fetchTimeoutMs, maxBytes: config.maxFeedBytes }).fetch(url);
        if (fetched.status !== 200) throw new HubError('fetch', 'not_modified', 'The server answered 304 Not Modified.');
        return { body: fetched.body, contentType: fetched.contentType, finalUrl: fetched.finalUrl };
      };
      return runParse(rest, { stdout: out, stderr: err, readFile: (p) => readFile(p), fetchUrl });
    }
    case '--help':
    case '-h':
    case 'help':
      out(HELP);
      return 0;
    case undefined:
      err(`error: give a command\n\n${HELP}`);
      return EX_USAGE;
    default:
      err(`error: unknown command "${command}"\n\n${HELP}`);
      return EX_USAGE;
  }
}
