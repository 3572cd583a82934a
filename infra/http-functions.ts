// The functions behind the HTTP API, one per route group (shared/routes/route-groups.ts), each with
// only what its routes use: the feeds function reads the table and holds no secret; the API writes
// the table, reads the admin token and queues polls; the alerts API and the web pages mail through
// SES and see the alerts queue (granted by infra/alerts.ts, which owns those). HTTP_ROUTES says which
// paths API Gateway sends to which function; the web pages take every other path.
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FUNCTIONS } from './bundling.ts';
import { HubFunction } from './hub-function.ts';

/** Paths (any method) API Gateway routes to each function: one table, shared with the local hub (shared/topology.ts). */
export { HTTP_ROUTES } from '../shared/topology.ts';

export interface HttpFunctionsProps {
  stage: string;
  table: ITable;
  pollQueue: IQueue;
  adminToken: ISecret;
  logRetention: RetentionDays;
}

export class HttpFunctions extends Construct {
  readonly feeds: HubFunction;
  readonly api: HubFunction;
  /** Present once its entry file exists (infra/bundling.ts). */
  readonly alertsApi?: HubFunction;
  readonly web?: HubFunction;

  constructor(scope: Construct, id: string, props: HttpFunctionsProps) {
    super(scope, id);
    const make = (name: string, id: string, description: string) => {
      const spec = FUNCTIONS.find((f) => f.name === name);
      if (!spec) return undefined;
      // API Gateway gives up at 30 s; registering a feed fetches it (at most 20 s).
      const fn = new HubFunction(this, id, { spec, stage: props.stage, description, timeout: Duration.seconds(29), memorySize: 512, logRetention: props.logRetention });
      // No HTTP function publishes (poll now queues the feeds): none is given the topic or may publish.
      // Requests reach the functions through CloudFront and API Gateway, each appending to
      // X-Forwarded-For: the reader's address is two hops back (shared/http/rate-limit.ts).
      fn.fn.addEnvironment('TRUST_PROXY', '2');
      return fn;
    };
    this.feeds = make('feeds', 'Feeds', 'ICAT hub: the merged feeds (RSS, Atom, JSON Feed)')!.bindTable({ table: props.table, access: 'read' });
    this.api = make('api', 'Api', 'ICAT hub: the JSON API of members and the secretariat')!
      .bindTable({ table: props.table, access: 'readwrite' })
      .bindQueueSender(props.pollQueue, 'POLL_QUEUE_URL')
      .bindSecret(props.adminToken, 'ADMIN_TOKEN_SECRET_ARN');
    this.alertsApi = make('alerts-api', 'AlertsApi', 'ICAT hub: e-mail alert subscriptions, their pages, the admin\'s views')
      ?.bindTable({ table: props.table, access: 'readwrite' })
      .bindSecret(props.adminToken, 'ADMIN_TOKEN_SECRET_ARN');
    this.web = make('web', 'WebPages', 'ICAT hub: the web pages (public, member portal, secretariat)')
      ?.bindTable({ table: props.table, access: 'readwrite' })
      .bindQueueSender(props.pollQueue, 'POLL_QUEUE_URL')
      .bindSecret(props.adminToken, 'ADMIN_TOKEN_SECRET_ARN');
  }

  get all(): HubFunction[] {
    return [this.feeds, this.api, this.alertsApi, this.web].filter((f): f is HubFunction => f !== undefined);
  }

  /** Sets PUBLIC_URL, the base of links in feeds, pages and mails. */
  setPublicUrl(url: string): void {
    for (const f of this.all) f.fn.addEnvironment('PUBLIC_URL', url);
  }
}
