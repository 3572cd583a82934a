import { loadConfig } from '../../shared/config.ts';
import { startHub, type RunningHub } from '../hub.ts';
import { createLogger, type LogLevel } from '../../shared/log.ts';
import { EX_USAGE } from './exit-codes.ts';

const HELP = `icat-hub serve: run the hub (API, merged feeds, scheduler) until Ctrl-C.

Environment: PORT (8787), HOST (127.0.0.1), PUBLIC_URL, DATA_DIR (.data), ADMIN_TOKEN (generated and
kept in DATA_DIR when unset), POLL_INTERVAL (15m), ALLOW_PRIVATE_NETWORKS, LOG_LEVEL. See README.md.
Exit codes: 0 stopped cleanly, 1 could not start, 64 wrong usage.
`;

/** An SMTP URL without its password, for the banner. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured SMTP server';
  }
}

export async function runServe(argv: string[], io: { stdout: (s: string) => void; stderr: (s: string) => void }): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(HELP);
    return 0;
  }
  if (argv.length > 0) {
    io.stderr(`error: ${argv[0]!.startsWith('-') ? 'unknown option' : 'unexpected argument'} ${argv[0]}\n${HELP}`);
    return EX_USAGE;
  }
  const config = loadConfig();
  // Log lines written while the hub starts (seeding the member list, ...) wait for the banner, so
  // that what a person needs to read comes first.
  const held: [string, LogLevel][] = [];
  let holding = true;
  const toStream = (line: string, level: LogLevel) => (level === 'warn' || level === 'error' ? io.stderr : io.stdout)(`${line}\n`);
  const release = () => {
    holding = false;
    for (const [line, level] of held.splice(0)) toStream(line, level);
  };
  const log = createLogger({ level: config.logLevel, write: (line, level) => (holding ? held.push([line, level]) : toStream(line, level)) });
  let hub: Awaited<ReturnType<typeof startHub>>;
  try {
    // The Lambda handlers, fed as in AWS (docs/local-runtime.md); HUB_TOPOLOGY=in-process: the HTTP app and the poll cycle as functions of this process.
    hub = await startHub(config, { log, topology: process.env.HUB_TOPOLOGY === 'in-process' ? 'in-process' : 'lambda', env: process.env });
  } catch (err) {
    release();
    throw err;
  }
  const { runtime } = hub;
  // One origin in the banner, the links, the pages and the mails: PUBLIC_URL (http://localhost:PORT
  // by default). The socket is named only when it is not this machine's loopback.
  const loopback = ['127.0.0.1', '::1', 'localhost'].includes(config.host);
  io.stdout(
    [
      '',
      `ICAT Syndication Hub running at ${hub.publicUrl}/`,
      ...(loopback ? [] : [`  listening on   ${hub.url} (HOST)`]),
      `  merged feeds   ${hub.publicUrl}/feeds/all.rss  .atom  .json`,
      `  publications   ${hub.publicUrl}/api/publications`,
      `  data folder    ${runtime.config.dataDir}`,
      `  web pages      ${hub.publicUrl}/`,
      `  polling        due feeds every ${config.pollIntervalSeconds}s`,
      config.smtpUrl
        ? `  mail           through ${redactUrl(config.smtpUrl)}`
        : `  mail           no SMTP_URL: mails are written to ${runtime.config.dataDir}/outbox/ (listed at GET /api/outbox)`,
      runtime.adminTokenGenerated
        ? `  admin token    ${runtime.config.adminToken}   (generated now and kept in ${runtime.config.dataDir}/admin-token; shown once)`
        : `  admin token    ${config.adminToken ? 'from ADMIN_TOKEN' : `in ${runtime.config.dataDir}/admin-token`}`,
      '',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  release();
  return waitForStop(hub, io);
}

/**
 * Stops the hub at the first SIGINT or SIGTERM. A service manager or container runtime signals the
 * whole process group, and launchers in it (npm, tsx's CLI) pass the signal on again: the listeners
 * stay, so a repeated signal is noted, never the default action (which would end the process before
 * the poll in progress and the alerts are done).
 */
function waitForStop(hub: RunningHub, io: { stdout: (s: string) => void; stderr: (s: string) => void }): Promise<number> {
  return new Promise<number>((resolve) => {
    let received: string | undefined;
    const shutdown = (signal: string) => {
      if (received) return;
      received = signal;
      io.stdout(`\n${signal} received: finishing the current poll and shutting down...\n`);
      hub.stop().then(
        ({ abandoned }) => {
          io.stdout(abandoned === 0 ? 'Stopped cleanly.\n' : `Stopped; ${abandoned} unfinished task(s) abandoned after SHUTDOWN_GRACE (polled again at the next start).\n`);
          resolve(0);
          // Abandoned work would otherwise keep the process alive, failing against stopped emulators.
          if (abandoned > 0) setImmediate(() => process.exit(0));
        },
        (err: unknown) => {
          io.stderr(`Stop failed: ${(err as Error).message}\n`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
  });
}
