// What only some invocations of a function use is loaded by the first one that does, not at init:
// each AWS SDK client beyond DynamoDB costs 4 to 16 ms to load (README "Bundles"), and most
// invocations of most functions never publish, send mail or read a secret. The wrappers below stand
// in for the ports until then. The clients are built with the same settings as
// shared/adapters/aws-clients.ts (which loads all three of its clients as soon as it is imported).
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { Publication } from '../shared/model.ts';
import type { ConditionalHeaders, FeedFetcher, FetchResult } from '../shared/ports/fetcher.ts';
import type { AlertQueue, Mailer, MailMessage, RequeuedMessage, SentMail } from '../shared/ports/mailer.ts';
import type { AnnounceResult, Notifier } from '../shared/ports/notifier.ts';

/** Runs `load` once, when first asked; a failed load is tried again by the next caller. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= load().catch((err: unknown) => {
      value = undefined;
      throw err;
    });
    return value;
  };
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** With an endpoint (tests, the local hub): the emulator and throwaway credentials; else the role's. */
export function clientOptions(region: string, endpoint: string | undefined, maxAttempts = 3) {
  return endpoint ? { region, endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts } : { region };
}

interface Endpoints {
  region: string;
  snsEndpoint?: string;
  sqsEndpoint?: string;
}

export async function loadSqsClient(e: Endpoints, tracer: Tracer) {
  const { SQSClient } = await import('@aws-sdk/client-sqs');
  // Queue URLs from the emulator name hosts that do not resolve here; the explicit endpoint wins.
  return tracer.captureAWSv3Client(new SQSClient({ ...clientOptions(e.region, e.sqsEndpoint), useQueueUrlAsEndpoint: !e.sqsEndpoint }));
}

/** Announces through SNS, loading the client and the adapter with the first announcement. */
export class LazyNotifier implements Notifier {
  private readonly notifier: () => Promise<Notifier>;

  constructor(e: Endpoints, topicArn: string, tracer: Tracer) {
    this.notifier = once(async () => {
      const [{ SNSClient }, { SnsNotifier }] = await Promise.all([import('@aws-sdk/client-sns'), import('../shared/adapters/sns-notifier.ts')]);
      return new SnsNotifier(tracer.captureAWSv3Client(new SNSClient(clientOptions(e.region, e.snsEndpoint))), topicArn);
    });
  }

  async announce(publications: Publication[]): Promise<AnnounceResult> {
    return (await this.notifier()).announce(publications);
  }
}

/** The feed fetcher (node:http, node:https, the guarded DNS lookup), built by the first fetch. */
export class LazyFetcher implements FeedFetcher {
  private readonly fetcher: () => Promise<FeedFetcher>;

  constructor(build: () => Promise<FeedFetcher>) {
    this.fetcher = once(build);
  }

  async fetch(url: string, conditional?: ConditionalHeaders, signal?: AbortSignal): Promise<FetchResult> {
    return (await this.fetcher()).fetch(url, conditional, signal);
  }
}

/** A mailer whose adapter (and its client) is built by the first send. */
export class LazyMailer implements Mailer {
  private readonly mailer: () => Promise<Mailer>;

  constructor(
    readonly transport: Mailer['transport'],
    build: () => Promise<Mailer>,
  ) {
    this.mailer = once(build);
  }

  async send(message: MailMessage): Promise<SentMail> {
    return (await this.mailer()).send(message);
  }
}

/** The alerts queue, reached through SQS once something is put back or the admin looks at it. */
export class LazyAlertQueue implements AlertQueue {
  private readonly queue: () => Promise<AlertQueue>;

  constructor(e: Endpoints, tracer: Tracer, queueUrl: string, deadLetterUrl: string | undefined) {
    this.queue = once(async () => {
      const [sqs, { SqsAlertQueue }] = await Promise.all([loadSqsClient(e, tracer), import('../shared/adapters/mail/alerts-queue.ts')]);
      return new SqsAlertQueue(sqs, queueUrl, deadLetterUrl);
    });
  }

  async requeue(messages: RequeuedMessage[]): Promise<void> {
    return (await this.queue()).requeue(messages);
  }

  async listDeadLetters(limit: number) {
    return (await this.queue()).listDeadLetters(limit);
  }

  async redriveDeadLetters(limit: number): Promise<number> {
    return (await this.queue()).redriveDeadLetters(limit);
  }

  async depth() {
    return (await this.queue()).depth();
  }
}
