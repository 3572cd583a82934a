// "Poll every feed now" from the secretariat's page: one cycle at a time in this process, with its
// progress (feeds done of total) readable while it runs, and the last result kept for the page.
import type { HubContext } from './context.ts';
import { pollInProcess, type PollNow } from './poll-now.ts';
import type { CycleSummary } from '../model.ts';

export type { PollNow } from './poll-now.ts';

export interface PollRun {
  startedAt: string;
  done: number;
  total: number;
  finishedAt?: string;
  summary?: CycleSummary;
  /** Set when the cycle itself failed (the table unreachable); failing feeds are in the summary. */
  failed?: string;
  /** Where feeds are polled elsewhere (AWS: the poll queue), how many were queued instead. */
  queued?: number;
}

export class PollRunner {
  private current?: { run: PollRun; finished: Promise<PollRun> };
  private last?: PollRun;

  private readonly pollNow: PollNow;

  constructor(
    private readonly ctx: HubContext,
    pollNow?: PollNow,
  ) {
    this.pollNow = pollNow ?? pollInProcess(ctx);
  }

  get running(): boolean {
    return this.current !== undefined;
  }

  /** The running cycle, else the last one. */
  latest(): PollRun | undefined {
    return this.current?.run ?? this.last;
  }

  /** Starts a cycle of every feed, or joins the one running; resolves when it is done. */
  start(): Promise<PollRun> {
    if (this.current) return this.current.finished;
    const run: PollRun = { startedAt: this.ctx.now().toISOString(), done: 0, total: 0 };
    const finished = this.pollNow(({ done, total }) => {
      run.done = done;
      run.total = total;
    })
      .then(({ summary, queued }) => {
        run.summary = summary;
        run.queued = queued;
      })
      .catch((err: unknown) => {
        run.failed = err instanceof Error ? err.message : String(err);
        this.ctx.log.error('poll from the secretariat page failed', { error: run.failed });
      })
      .then(() => {
        run.finishedAt = this.ctx.now().toISOString();
        this.last = run;
        this.current = undefined;
        return run;
      });
    this.current = { run, finished };
    return finished;
  }
}
