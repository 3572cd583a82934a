// The invocation wrapper every function shares (middy and the Powertools middlewares): the Lambda
// context on the log lines, a ColdStart metric on the first invocation only, metrics written whether
// the handler returned or threw, no empty-metrics warning, and the event never logged.
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lambdaHandler } from '../../lambda/invocation.ts';
import { createLambdaRuntime } from '../../lambda/lambda-context.ts';
import { count, METRIC } from '../../lambda/metrics.ts';
import { captureOutput } from './harness.ts';

function context(requestId: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'icat-hub-test-fn',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:icat-hub-test-fn',
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/icat-hub-test-fn',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

describe('lambdaHandler', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('logs with the Lambda context, counts the cold start once, flushes metrics on success and failure, never logs the event', async () => {
    // What Lambda sets for an execution environment started on demand (Powertools reads it to tell a cold start).
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const runtime = createLambdaRuntime({ env: { TABLE_NAME: 'icat-hub-test', POWERTOOLS_SERVICE_NAME: 'icat-hub-test', AWS_REGION: 'us-east-1' } });
    const handler = lambdaHandler(runtime, async (event: { email: string; fail?: boolean; enqueue?: number }) => {
      runtime.ctx.log.info('handled', { feed_id: 'f1' });
      if (event.enqueue !== undefined) count(runtime.metrics, METRIC.feedsEnqueued, event.enqueue);
      if (event.fail) throw new Error('store unreachable');
      return 'ok';
    });

    const warnings = vi.spyOn(console, 'warn');
    const out = captureOutput();
    try {
      expect(await handler({ email: 'someone@example.org', enqueue: 2 }, context('req-1'))).toBe('ok');
      expect(await handler({ email: 'someone@example.org' }, context('req-2'))).toBe('ok');
      await expect(handler({ email: 'someone@example.org', fail: true, enqueue: 5 }, context('req-3'))).rejects.toThrow('store unreachable');
      // Outside Lambda (tests, scripts) there is no context.
      expect(await handler({ email: 'someone@example.org' })).toBe('ok');
    } finally {
      out.restore();
    }

    const records = out.records();
    const logs = records.filter((r) => r.message === 'handled');
    expect(logs.map((r) => [r.function_request_id, r.cold_start])).toEqual([
      ['req-1', true],
      ['req-2', false],
      ['req-3', false],
      [undefined, false],
    ]);
    expect(logs[0]).toMatchObject({ function_name: 'icat-hub-test-fn', service: 'icat-hub-test', feed_id: 'f1' });

    const emf = records.filter((r) => r._aws !== undefined);
    expect(emf.filter((r) => r.ColdStart !== undefined)).toEqual([expect.objectContaining({ ColdStart: 1, function_name: 'icat-hub-test-fn', service: 'icat-hub-test' })]);
    // One line per invocation that recorded something: the success and the failure.
    expect(emf.filter((r) => r.FeedsEnqueued !== undefined).map((r) => r.FeedsEnqueued)).toEqual([2, 5]);
    expect(JSON.stringify(records)).not.toContain('example.org');
    // The invocations that recorded no metric wrote no warning about it.
    expect(warnings.mock.calls.flat().join('\n')).not.toContain('No application metrics');
  });
});
