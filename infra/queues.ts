// Every queue of the hub comes with its dead-letter queue, SSE-SQS encryption (no KMS key to pay for or
// to grant; SNS can deliver into it) and TLS-only access.
import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface QueueWithDlq {
  queue: Queue;
  dlq: Queue;
}

export function hubQueue(scope: Construct, id: string, props: { name: string; visibilityTimeout: Duration; retention: Duration; maxReceiveCount: number }): QueueWithDlq {
  const dlq = new Queue(scope, `${id}Dlq`, {
    queueName: `${props.name}-dlq`,
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(dlq).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This queue is itself a dead-letter queue; its depth is alarmed on.' });
  const queue = new Queue(scope, id, {
    queueName: props.name,
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    visibilityTimeout: props.visibilityTimeout,
    retentionPeriod: props.retention,
    deadLetterQueue: { queue: dlq, maxReceiveCount: props.maxReceiveCount },
  });
  return { queue, dlq };
}
