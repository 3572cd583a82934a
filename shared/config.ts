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

  const logLevel = (get('LOG_LEVEL') ?? 'info') as LogLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) problems.push(`LOG_LEVEL must be debug, info, warn or error (got "${logLevel}")`);

  const config: HubConfig = {
    port,
    host,
    publicUrl,
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
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
