// Polls due feeds every POLL_INTERVAL. Only feeds whose time has come are polled, so a feed in backoff,
// or one that asks for a longer interval (<ttl>, Cache-Control), waits for the first tick after its time.
import type { HubContext } from '../shared/app/context.ts';
import { runPollCycle } from '../shared/app/poll-cycle.ts';

export interface Scheduler {
  /** Starts no more cycles; resolves when a cycle in progress has finished. */
  stop(): Promise<void>;
}

export function startScheduler(
  ctx: HubContext,
  options: { tickSeconds: number; firstTickMs?: number; track?: <T>(work: Promise<T>) => Promise<T> },
): Scheduler {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;
  const track = options.track ?? (<T>(work: Promise<T>) => work);
  const tick = async () => {
    if (stopped) return;
    running = track(runPollCycle(ctx)).catch((err) => ctx.log.error('poll cycle failed', { error: (err as Error).message }));
    await running;
    running = undefined;
    if (!stopped) timer = setTimeout(tick, options.tickSeconds * 1000);
  };
  timer = setTimeout(tick, options.firstTickMs ?? 1000);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
