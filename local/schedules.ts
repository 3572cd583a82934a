// EventBridge Scheduler, locally: invokes a function every `everySeconds` with the ScheduledEvent the
// stack's schedule sends (infra/polling.ts, infra/alerts.ts), retrying a failed invocation up to
// `retryAttempts` times. One run at a time: a run that outlasts the interval delays the next one
// (in AWS the next would start beside it; the handlers are written for both).
import { randomUUID } from 'node:crypto';
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { Logger } from '../shared/log.ts';
import { localContext } from './event-sources.ts';

export type ScheduledHandler = (event: ScheduledEvent, context?: Context) => Promise<unknown>;

export interface ScheduleOptions {
  /** The schedule's name (its ARN is in the event's resources). */
  name: string;
  functionName: string;
  handler: ScheduledHandler;
  everySeconds: number;
  /** Delay before the first run; default one second. */
  firstRunMs?: number;
  /** Retries of a failed run, a second apart (the poll schedule: 2; the digest: 0). */
  retryAttempts?: number;
  functionTimeoutSeconds?: number;
  region?: string;
  log: Logger;
  track?: <T>(work: Promise<T>) => Promise<T>;
}

export interface LocalSchedule {
  readonly runs: number;
  /** Starts no more runs; resolves when the run in progress has finished. */
  stop(): Promise<void>;
}

export function scheduledEvent(name: string, region = 'us-east-1', time = new Date()): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.scheduler',
    account: '000000000000',
    time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [`arn:aws:scheduler:${region}:000000000000:schedule/default/${name}`],
    detail: {},
  };
}

export function startSchedule(options: ScheduleOptions): LocalSchedule {
  const track = options.track ?? (<T>(work: Promise<T>) => work);
  const region = options.region ?? 'us-east-1';
  const log = options.log.child({ schedule_name: options.name, function_name: options.functionName });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;
  let runs = 0;

  const runOnce = async () => {
    const event = scheduledEvent(options.name, region);
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await options.handler(event, localContext(options.functionName, options.functionTimeoutSeconds ?? 300, region));
      } catch (err) {
        const retry = attempt < (options.retryAttempts ?? 0) && !stopped;
        log.error(retry ? 'scheduled run failed; retrying' : 'scheduled run failed', { attempt: attempt + 1, error: (err as Error).message });
        if (!retry) return undefined;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  };

  const tick = async () => {
    if (stopped) return;
    const started = Date.now();
    runs += 1;
    running = track(runOnce());
    await running;
    running = undefined;
    if (!stopped) timer = setTimeout(tick, Math.max(0, options.everySeconds * 1000 - (Date.now() - started)));
  };
  timer = setTimeout(tick, options.firstRunMs ?? 1000);

  return {
    get runs() {
      return runs;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
