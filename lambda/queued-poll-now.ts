// "Poll every feed now" in AWS, for the API and the secretariat's page alike: every feed goes to the
// poll queue for the workers (lambda/poll-queue.ts). The SQS client and the queueing code are
// loaded by the first use: most invocations of the API and web functions never poll.
import type { PollNow } from '../shared/app/poll-now.ts';
import type { LambdaRuntime } from './lambda-context.ts';
import { loadSqsClient, once } from './lazy.ts';

export function queuedPollNow(runtime: LambdaRuntime): PollNow {
  const sqs = once(() => loadSqsClient(runtime.config, runtime.tracer));
  return async (onProgress) => {
    const { queueEveryFeed } = await import('./poll-queue.ts');
    const result = await queueEveryFeed(runtime.ctx, await sqs(), runtime.config.pollQueueUrl!);
    onProgress({ done: 0, total: result.total });
    return { queued: result.enqueued, failed: result.failed };
  };
}
