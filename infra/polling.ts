// Scheduling and fan-out: EventBridge Scheduler invokes the poll scheduler, which sends one message per
// due feed to the poll queue; the poll worker consumes it in batches of ten with bounded concurrency and
// partial-batch failure reporting. Messages that keep failing land in the dead-letter queue.
import { Duration, Stack } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput, TimeWindow } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { FUNCTIONS } from './bundling.ts';
import { HubFunction, scheduleRole } from './hub-function.ts';
import { hubQueue, type QueueWithDlq } from './queues.ts';
import { POLL_QUEUE } from '../shared/topology.ts';

export interface PollingProps {
  stage: string;
  table: Table;
  topic: ITopic;
  topicKey: IKey;
  pollSchedule: string;
  logRetention: RetentionDays;
}

/** Worker timeout: a batch of ten feeds, at most two at once per host, each fetch capped at 20 s. */
export const WORKER_TIMEOUT = Duration.seconds(POLL_QUEUE.functionTimeoutSeconds);
export const WORKER_BATCH_SIZE = POLL_QUEUE.batchSize;
/** Concurrent worker runs: bounds the load on members' servers and on the table, whatever the backlog. */
export const WORKER_MAX_CONCURRENCY = POLL_QUEUE.maxConcurrency;

export class Polling extends Construct {
  readonly queue: QueueWithDlq;
  readonly scheduler: HubFunction;
  readonly worker: HubFunction;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: PollingProps) {
    super(scope, id);
    const spec = (name: string) => FUNCTIONS.find((f) => f.name === name)!;
    // Lambda's guidance: visibility at least six times the consumer's timeout, so a throttled or
    // retried batch is not redelivered while a worker still holds it. Stale poll messages are useless
    // after a few hours (the next cycle queues the feed again).
    this.queue = hubQueue(this, 'PollQueue', { name: `icat-hub-${props.stage}-poll`, visibilityTimeout: Duration.seconds(POLL_QUEUE.visibilityTimeoutSeconds), retention: Duration.seconds(POLL_QUEUE.retentionSeconds), maxReceiveCount: POLL_QUEUE.maxReceiveCount });

    this.scheduler = new HubFunction(this, 'Scheduler', {
      spec: spec('poll-scheduler'),
      stage: props.stage,
      description: 'ICAT hub: queues due feeds for polling and announces what was never announced',
      timeout: Duration.minutes(2),
      memorySize: 256,
      logRetention: props.logRetention,
    })
      .bindTable({ table: props.table, access: 'readwrite' })
      .bindTopic(props.topic, props.topicKey)
      .bindQueueSender(this.queue.queue, 'POLL_QUEUE_URL');

    this.worker = new HubFunction(this, 'Worker', {
      spec: spec('poll-worker'),
      stage: props.stage,
      description: 'ICAT hub: polls the feeds of one queue batch',
      timeout: WORKER_TIMEOUT,
      memorySize: 512,
      logRetention: props.logRetention,
    })
      .bindTable({ table: props.table, access: 'readwrite' })
      .bindTopic(props.topic, props.topicKey);
    this.worker.fn.addEventSource(
      new SqsEventSource(this.queue.queue, { batchSize: WORKER_BATCH_SIZE, reportBatchItemFailures: true, maxConcurrency: WORKER_MAX_CONCURRENCY }),
    );

    // The function receives a ScheduledEvent, as from an EventBridge rule (functions/poll-scheduler.ts).
    const stack = Stack.of(this);
    this.schedule = new Schedule(this, 'Schedule', {
      scheduleName: `icat-hub-${props.stage}-poll`,
      description: 'Queues the feeds that are due for a poll',
      schedule: ScheduleExpression.expression(props.pollSchedule),
      timeWindow: TimeWindow.off(),
      target: new LambdaInvoke(this.scheduler.fn, {
        role: scheduleRole(this, 'ScheduleRole', this.scheduler),
        retryAttempts: 2,
        maxEventAge: Duration.minutes(10),
        input: ScheduleTargetInput.fromObject({
          version: '0',
          id: ContextAttribute.executionId,
          'detail-type': 'Scheduled Event',
          source: 'aws.scheduler',
          account: stack.account,
          time: ContextAttribute.scheduledTime,
          region: stack.region,
          resources: [ContextAttribute.scheduleArn],
          detail: {},
        }),
      }),
    });
  }
}
