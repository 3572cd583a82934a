// Runs tasks with a global concurrency limit and a per-key one (at most N requests at once per host).

export interface LimitOptions<T> {
  concurrency: number;
  keyOf?: (item: T) => string;
  perKey?: number;
}

export async function runLimited<T, R>(items: T[], options: LimitOptions<T>, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  const pending = items.map((item, index) => ({ item, index }));
  const active = new Map<string, number>();
  const perKey = options.perKey ?? Infinity;
  let running = 0;

  return new Promise<R[]>((resolve, reject) => {
    let failed = false;
    const pump = () => {
      if (failed) return;
      if (pending.length === 0 && running === 0) return resolve(results);
      for (let i = 0; i < pending.length && running < options.concurrency; ) {
        const next = pending[i]!;
        const key = options.keyOf?.(next.item) ?? '';
        if ((active.get(key) ?? 0) >= perKey) {
          i += 1;
          continue;
        }
        pending.splice(i, 1);
        running += 1;
        active.set(key, (active.get(key) ?? 0) + 1);
        task(next.item).then(
          (r) => {
            results[next.index] = r;
            running -= 1;
            active.set(key, (active.get(key) ?? 1) - 1);
            pump();
          },
          (err) => {
            failed = true;
            reject(err);
          },
        );
      }
    };
    pump();
  });
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url;
  }
}
