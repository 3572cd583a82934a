// Work the local hub has started and must let finish before its database and queues go away: polls
// (scheduled, or asked for over HTTP or the web pages), HTTP requests in progress, the start-up
// catch-up of alerts. At a stop the hub refuses new work, then waits here, within a grace period.

export class WorkTracker {
  private readonly running = new Set<Promise<unknown>>();
  private closed = false;

  /** False once the hub is stopping: callers refuse new work. */
  get accepting(): boolean {
    return !this.closed;
  }

  get size(): number {
    return this.running.size;
  }

  /** Follows `work` until it settles; its outcome is the caller's to handle. */
  track<T>(work: Promise<T>): Promise<T> {
    const followed = work.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(followed);
    void followed.then(() => this.running.delete(followed));
    return work;
  }

  /** Refuses new work and waits for the work in progress, at most `graceMs`. Resolves with what is still running. */
  async close(graceMs: number): Promise<number> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    // Work started by work in progress (a request that starts a poll) is waited for too.
    while (this.running.size > 0) {
      const waited = await Promise.race([Promise.all([...this.running]).then(() => true), timeout.then(() => false)]);
      if (!waited) break;
    }
    clearTimeout(timer);
    return this.running.size;
  }
}
