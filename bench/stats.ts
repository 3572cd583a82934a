// Small measuring helpers: interleaved runs (so drift on a noisy machine hits both sides alike) and medians.

export interface Result {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  ratio: number;
  target: string;
  ok: boolean;
  note?: string;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** Runs baseline and subject alternately `reps` times after `warmup` rounds; returns median milliseconds of each. */
export async function interleave(reps: number, warmup: number, baseline: () => Promise<number>, subject: () => Promise<number>): Promise<{ baseline: number; subject: number }> {
  const b: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < warmup + reps; i += 1) {
    const order = i % 2 === 0;
    const x = order ? await baseline() : await subject();
    const y = order ? await subject() : await baseline();
    if (i < warmup) continue;
    b.push(order ? x : y);
    s.push(order ? y : x);
  }
  return { baseline: median(b), subject: median(s) };
}
