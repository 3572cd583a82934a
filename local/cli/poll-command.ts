import { runPollCycle } from '../../shared/app/poll-cycle.ts';
import { loadConfig } from '../../shared/config.ts';
import { summaryView } from '../../shared/http/routes-api.ts';
import { startLocalRuntime } from '../runtime.ts';
import { EX_USAGE } from './exit-codes.ts';

const HELP = `icat-hub poll [--all]: run one polling cycle on the local data folder and print its summary as JSON.

  --all   poll every feed now, due or not (as POST /api/poll does)

The hub must not be running on the same DATA_DIR (use POST /api/poll on a running hub instead).
Exit codes: 0 polled, 3 some feeds failed, 1 could not run, 64 wrong usage.
`;

export async function runPoll(argv: string[], io: { stdout: (s: string) => void; stderr: (s: string) => void }): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(HELP);
    return 0;
  }
  const wrong = argv.find((a) => a !== '--all');
  if (wrong !== undefined) {
    io.stderr(`error: ${wrong.startsWith('-') ? 'unknown option' : 'unexpected argument'} ${wrong}\n${HELP}`);
    return EX_USAGE;
  }
  const runtime = await startLocalRuntime(loadConfig());
  try {
    const summary = await runPollCycle(runtime.ctx, { force: argv.includes('--all') });
    io.stdout(`${JSON.stringify(summaryView(summary), null, 2)}\n`);
    return summary.errors > 0 ? 3 : 0;
  } finally {
    await runtime.stop();
  }
}
