// Configuration is read once, from the environment, and checked as a whole: one ConfigError lists
// every problem so an operator fixes them in one go.
import { ConfigError } from './errors.ts';
import type { LogLevel } from './log.ts';
import { parseCidrList, type CidrList } from './net/addresses.ts';

export interface HubConfig {
  port: number;
  host: string;
  /** Base of every link the hub writes into feeds and mails, without a trailing slash. */
  publicUrl: string;
  /** False when PUBLIC_URL was not set and publicUrl is the default (the local hub then uses its real port). */
  publicUrlExplicit: boolean;
  dataDir: string;
  /** Absent until the local hub generates one (or, in AWS, it is read from the secret store). */
  adminToken?: string;
  pollIntervalSeconds: number;
  pollConcurrency: number;
  allowPrivateNetworks: CidrList;
  allowPrivateNetworksSpec: string;
  fetchTimeoutMs: number;
  maxFeedBytes: number;
  region: string;
  tableName: string;
  topicName: string;
  /** Set in AWS; the local hub finds it from the embedded SNS. */
  topicArn?: string;
  dynamodbEndpoint?: string;
  snsEndpoint?: string;
  sqsEndpoint?: string;
  logLevel: LogLevel;
  /** Feeds one member may have registered at once (removed ones do not count). */
  maxFeedsPerMember: number;
  /** Registrations one member may make per hour (token bucket, per process). */
  registrationsPerHour: number;
  /** Requests per minute one client address may make without credentials; 0 turns the limit off. */
  publicRateLimit: number;
  /** Proxies in front of the hub that append to X-Forwarded-For; 0: the header is ignored. */
  trustProxy: number;
  /** E-mail alerts (README "E-mail alerts"). The SMTP server; unset: the outbox folder locally, SES in AWS. */
  smtpUrl?: string;
  /** From of every mail, `Name <address>`. */
  mailFrom: string;
  /** The mailto of List-Unsubscribe (read by a person); default the From address. */
  mailUnsubscribeTo: string;
  /** Domain of Message-IDs and the List-Id: the From address's. */
  mailDomain: string;
  /** HMAC key of subscription links and address keys, 32 characters or more; generated locally when unset. */
  tokenSecret?: string;
  /** SES configuration set that publishes bounces and complaints (AWS). */
  sesConfigurationSet?: string;
  alertsQueueName: string;
  /** How long the alerts worker gathers announcements before matching them, seconds. */
  alertsBatchWindowSeconds: number;
  /** First delay before mail is tried again while the mail service is down, seconds; doubles up to 15 minutes. */
  alertsRetrySeconds: number;
  /** How often the local hub looks for held burst alerts and due digests, seconds. */
  alertsTickSeconds: number;
  /** Receives of one alerts message before it goes to the dead-letter queue (local queue). */
  alertsMaxReceives: number;
  /** At a stop, how long the local hub lets a poll or request in progress finish, seconds. */
  shutdownGraceSeconds: number;
}

const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** "900", "15m", "1h30m", "45s", "2d" -> seconds; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (/^\d+$/.test(t)) return Number(t);
  const m = DURATION.exec(t);
  if (!m || t === '') return undefined;
  const [, d, h, min, s] = m.map((x) => (x === undefined ? 0 : Number(x)));
  return (d ?? 0) * 86400 + (h ?? 0) * 3600 + (min ?? 0) * 60 + (s ?? 0);
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): HubConfig {
  const problems: string[] = [];
  const get = (name: string) => {
    const v = env[name]?.trim();
    return v === '' ? undefined : v;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };
  const duration = (name: string, fallback: number, min: number): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const s = parseDuration(raw);
    if (s === undefined || s < min) {
      problems.push(`${name} must be a duration of at least ${min}s, in seconds or like "15m", "1h" (got "${raw}")`);
      return fallback;
    }
    return s;
  };
  const url = (name: string, raw: string | undefined): string | undefined => {
    if (raw === undefined) return undefined;
    try {
      const u = new URL(raw);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
      return u.toString().replace(/\/+$/, '');
    } catch {
      problems.push(`${name} must be an http(s) URL (got "${raw}")`);
      return undefined;
    }
  };

  const port = int('PORT', 8787, 0, 65535);
  const host = get('HOST') ?? '127.0.0.1';
  const publicUrl = url('PUBLIC_URL', get('PUBLIC_URL')) ?? `http://localhost:${port}`;
  const adminToken = get('ADMIN_TOKEN');
  if (adminToken !== undefined && adminToken.length < 16) problems.push('ADMIN_TOKEN must be at least 16 characters long');

  const allowSpec = get('ALLOW_PRIVATE_NETWORKS') ?? '';
  let allowPrivateNetworks = parseCidrList('');
  try {
    allowPrivateNetworks = parseCidrList(allowSpec);
  } catch (err) {
    problems.push(`ALLOW_PRIVATE_NETWORKS: ${(err as Error).message}`);
  }

  // off (default), on (one proxy), or how many proxies append to X-Forwarded-For.
  const trustProxyRaw = get('TRUST_PROXY')?.toLowerCase() ?? 'off';
  let trustProxy = 0;
  if (['true', 'on', 'yes'].includes(trustProxyRaw)) trustProxy = 1;
  else if (/^\d{1,2}$/.test(trustProxyRaw) && Number(trustProxyRaw) <= 10) trustProxy = Number(trustProxyRaw);
  else if (!['false', 'off', 'no'].includes(trustProxyRaw)) problems.push(`TRUST_PROXY must be off, on, or the number of proxies in front of the hub, 0 to 10 (got "${trustProxyRaw}")`);

  // E-mail alerts. An SMTP URL may carry a password: problems name its scheme and host only.
  let smtpUrl: string | undefined;
  const smtpRaw = get('SMTP_URL');
  if (smtpRaw !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(smtpRaw);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') || !parsed.hostname) problems.push('SMTP_URL must look like smtp://host:port or smtps://user:password@host:port');
    else smtpUrl = smtpRaw;
  }
  const mailbox = /^(?:[^<>]*<([^<>\s@]+@[^<>\s@]+)>|([^<>\s@]+@[^<>\s@]+))$/;
  const mailFrom = get('MAIL_FROM') ?? `ICAT publication alerts <alerts@${new URL(publicUrl).hostname}>`;
  const fromMatch = mailbox.exec(mailFrom);
  const fromAddress = fromMatch?.[1] ?? fromMatch?.[2];
  if (!fromAddress || /[\r\n]/.test(mailFrom)) problems.push(`MAIL_FROM must be an address or "Name <address>" (got "${mailFrom.slice(0, 100)}")`);
  const mailUnsubscribeTo = get('MAIL_UNSUBSCRIBE_TO') ?? fromAddress ?? 'alerts@localhost';
  if (!/^[^<>\s@]+@[^<>\s@]+$/.test(mailUnsubscribeTo)) problems.push(`MAIL_UNSUBSCRIBE_TO must be an address (got "${mailUnsubscribeTo.slice(0, 100)}")`);
  const tokenSecret = get('TOKEN_SECRET');
  if (tokenSecret !== undefined && tokenSecret.length < 32) problems.push('TOKEN_SECRET must be at least 32 characters long');
  const alertsQueueName = get('ALERTS_QUEUE_NAME') ?? 'alerts';
  if (!/^[A-Za-z0-9_-]{1,70}$/.test(alertsQueueName)) problems.push(`ALERTS_QUEUE_NAME must be 1-70 letters, digits, hyphens or underscores (got "${alertsQueueName.slice(0, 100)}")`);

  const logLevel = (get('LOG_LEVEL') ?? 'info') as LogLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) problems.push(`LOG_LEVEL must be debug, info, warn or error (got "${logLevel}")`);

  const config: HubConfig = {
    port,
    host,
    publicUrl,
    publicUrlExplicit: get('PUBLIC_URL') !== undefined,
    dataDir: get('DATA_DIR') ?? '.data',
    adminToken,
    pollIntervalSeconds: duration('POLL_INTERVAL', 900, 10),
    pollConcurrency: int('POLL_CONCURRENCY', 8, 1, 64),
    allowPrivateNetworks,
    allowPrivateNetworksSpec: allowSpec,
    fetchTimeoutMs: duration('FETCH_TIMEOUT', 20, 1) * 1000,
    maxFeedBytes: int('MAX_FEED_BYTES', 15 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    region: get('AWS_REGION') ?? get('AWS_DEFAULT_REGION') ?? 'us-east-1',
    tableName: get('TABLE_NAME') ?? 'icat-hub',
    topicName: get('TOPIC_NAME') ?? 'publications',
    topicArn: get('TOPIC_ARN'),
    dynamodbEndpoint: url('DYNAMODB_ENDPOINT', get('DYNAMODB_ENDPOINT')),
    snsEndpoint: url('SNS_ENDPOINT', get('SNS_ENDPOINT')),
    sqsEndpoint: url('SQS_ENDPOINT', get('SQS_ENDPOINT')),
    logLevel,
    maxFeedsPerMember: int('MAX_FEEDS_PER_MEMBER', 50, 1, 10_000),
    registrationsPerHour: int('REGISTRATIONS_PER_HOUR', 20, 1, 10_000),
    publicRateLimit: int('PUBLIC_RATE_LIMIT', 120, 0, 1_000_000),
    trustProxy,
    smtpUrl,
    mailFrom,
    mailUnsubscribeTo,
    mailDomain: fromAddress?.split('@')[1]?.toLowerCase() ?? 'localhost',
    tokenSecret,
    sesConfigurationSet: get('SES_CONFIGURATION_SET'),
    alertsQueueName,
    alertsBatchWindowSeconds: duration('ALERTS_BATCH_WINDOW', 10, 0),
    alertsRetrySeconds: duration('ALERTS_RETRY_BASE', 30, 1),
    alertsTickSeconds: duration('ALERTS_TICK', 60, 1),
    alertsMaxReceives: int('ALERTS_MAX_RECEIVES', 5, 1, 1000),
    shutdownGraceSeconds: duration('SHUTDOWN_GRACE', 30, 0),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
