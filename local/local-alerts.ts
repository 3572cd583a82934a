// What the local hub's e-mail alerts are made of: their context, the routes' dependencies, the queue
// the worker reads, and what it got past. Built by alerts-runtime.ts, used by alerts-worker.ts.
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { AlertsContext } from '../shared/alerts/context.ts';
import type { AlertsHttp } from '../shared/web/routes-alerts.ts';

export interface LocalAlerts {
  ctx: AlertsContext;
  http: AlertsHttp;
  sqs: SQSClient;
  queueUrl: string;
  deadLetterUrl: string;
  /** The token-signing key (TOKEN_SECRET, or the one kept in the data folder): handed to the alert functions. */
  tokenSecret: string;
  /** Problems the worker got past since the start, by kind (each is also logged). */
  failures: { notDeleted: number; notDelayed: number; batchFailed: number; drainFailed: number };
  stop(): Promise<void>;
}
