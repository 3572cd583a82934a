// One invocation of any function, through middy and the Powertools middlewares: the Lambda context
// (request id, cold start) on every log line, a traced `## handler` subsegment (cold start and service
// annotated, an error recorded; the response is not attached, as it can carry personal data), and the
// metrics written as EMF after the handler, whether it returned or threw, with a ColdStart metric on the
// first invocation of an execution environment. The event is never logged.
import type { Context } from 'aws-lambda';
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { LambdaRuntime } from './lambda-context.ts';

/** A function's handler: outside Lambda (the tests) it may be called without a context. */
export type LambdaHandler<E, R> = (event: E, context?: Context) => Promise<R>;

export function lambdaHandler<E, R>(runtime: Pick<LambdaRuntime, 'logger' | 'metrics' | 'tracer'>, work: (event: E, context: Context) => Promise<R>): LambdaHandler<E, R> {
  const wrapped = middy<E, R>(work)
    .use(captureLambdaHandler(runtime.tracer, { captureResponse: false }))
    .use(injectLambdaContext(runtime.logger, { logEvent: false }))
    .use(logMetrics(runtime.metrics, { captureColdStartMetric: true }));
  // middy stands in an empty context for a missing one.
  return (event, context) => wrapped(event, context as Context);
}
