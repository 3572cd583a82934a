// The Lambda functions' configuration: the hub's own (shared/config.ts) plus what only exists in AWS
// (topic and queue addresses, secret ARNs). Checked once at cold start; one ConfigError lists every
// problem, so a function with a broken environment fails its init with a readable message.
import { loadConfig, type HubConfig } from '../shared/config.ts';
import { ConfigError } from '../shared/errors.ts';

/** What a function needs beyond the table; nothing it does not declare is required of its environment. */
export interface LambdaNeeds {
  /** Announces publications: TOPIC_ARN. */
  publish?: boolean;
  /** Mails members (notices, sign-in links) or subscribers: SES (or SMTP_URL). */
  mail?: boolean;
  pollQueue?: boolean;
  adminToken?: boolean;
}

export interface LambdaConfig extends HubConfig {
  /** Set for functions that publish (and only read then). */
  topicArn?: string;
  serviceName: string;
  pollQueueUrl?: string;
  adminTokenSecretArn?: string;
  signingKeySecretArn?: string;
  /** Points the Secrets Manager client at a stand-in (tests); unset in AWS. */
  secretsManagerEndpoint?: string;
  /** Points the SES v2 client at a stand-in (tests); unset in AWS. */
  sesEndpoint?: string;
  /** OUTBOX_DIR: mail is written there as .eml files instead of sent (the local hub without SMTP_URL); unset in AWS. */
  outboxDir?: string;
}

/**
 * The secret id under which ADMIN_TOKEN, when set in the environment, stands in for the Secrets
 * Manager secret (the local hub, which keeps its token in its data folder). Never set in AWS.
 */
export const ADMIN_TOKEN_FROM_ENV = 'arn:local:env:ADMIN_TOKEN';

type Env = Record<string, string | undefined>;

export function loadLambdaConfig(env: Env, needs: LambdaNeeds = {}): LambdaConfig {
  const problems: string[] = [];
  let base: HubConfig | undefined;
  try {
    base = loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  const get = (name: string) => env[name]?.trim() || undefined;
  const required = (name: string, wanted = true) => {
    const v = get(name);
    if (wanted && v === undefined) problems.push(`${name} must be set`);
    return v;
  };
  const arn = (name: string, wanted: boolean) => {
    const v = required(name, wanted);
    if (v !== undefined && !v.startsWith('arn:')) problems.push(`${name} must be an ARN (got "${v}")`);
    return v;
  };

  required('TABLE_NAME');
  const topicArn = arn('TOPIC_ARN', needs.publish === true);
  const pollQueueUrl = required('POLL_QUEUE_URL', needs.pollQueue === true);
  // ADMIN_TOKEN in the environment (the local hub) takes the place of the secret.
  const adminTokenSecretArn = arn('ADMIN_TOKEN_SECRET_ARN', needs.adminToken === true && get('ADMIN_TOKEN') === undefined) ?? (get('ADMIN_TOKEN') ? ADMIN_TOKEN_FROM_ENV : undefined);
  const signingKeySecretArn = arn('TOKEN_SIGNING_KEY_SECRET_ARN', false);
  const secretsManagerEndpoint = get('SECRETS_MANAGER_ENDPOINT');
  if (problems.length > 0 || !base) throw new ConfigError(problems);
  return {
    ...base,
    topicArn,
    serviceName: get('POWERTOOLS_SERVICE_NAME') ?? 'icat-hub',
    pollQueueUrl,
    adminTokenSecretArn,
    signingKeySecretArn,
    secretsManagerEndpoint,
    sesEndpoint: get('SES_ENDPOINT'),
    outboxDir: get('OUTBOX_DIR'),
  };
}
