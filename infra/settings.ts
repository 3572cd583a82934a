// Deployment settings, read from CDK context (`cdk.json` or `-c key=value`) and checked before any
// resource is defined, so a typo fails the synth with a message instead of a half-made stack.
import type { Node } from 'constructs';

export interface HubSettings {
  /** Short environment name that prefixes every named resource: prod, staging, dev-alex. */
  stage: string;
  /** Mail domain for SES (alerts are sent from it). */
  domain: string;
  /** Where alarms are mailed; no subscription without it. */
  alarmEmail?: string;
  /** EventBridge Scheduler expression for the poll scheduler. */
  pollSchedule: string;
  /** Lets `cdk destroy` delete the table (and its data). */
  destroyTable: boolean;
  /** Base of links in feeds when the hub has its own domain in front of CloudFront. */
  publicUrl?: string;
  /** Days CloudWatch keeps function and access logs. */
  logRetentionDays: number;
}

export const CONTEXT_KEYS = ['stage', 'domain', 'alarmEmail', 'pollSchedule', 'destroyTable', 'publicUrl', 'logRetentionDays'] as const;

const STAGE = /^[a-z][a-z0-9-]{0,19}$/;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const SCHEDULE = /^(?:rate\(\d+ (?:minute|minutes|hour|hours|day|days)\)|cron\(.+\))$/;
const RETENTION = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export function readSettings(node: Node): HubSettings {
  const problems: string[] = [];
  const text = (key: (typeof CONTEXT_KEYS)[number]): string | undefined => {
    const v: unknown = node.tryGetContext(key);
    return v === undefined || v === null || String(v).trim() === '' ? undefined : String(v).trim();
  };
  const stage = text('stage') ?? 'prod';
  if (!STAGE.test(stage)) problems.push(`stage must be lower-case letters, digits and dashes, starting with a letter, at most 20 (got "${stage}")`);
  const domain = (text('domain') ?? 'example.org').toLowerCase();
  if (!DOMAIN.test(domain)) problems.push(`domain must be a domain name such as hub.icat.example (got "${domain}")`);
  const alarmEmail = text('alarmEmail');
  if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) problems.push('alarmEmail must be an e-mail address');
  const pollSchedule = text('pollSchedule') ?? 'rate(15 minutes)';
  if (!SCHEDULE.test(pollSchedule)) problems.push(`pollSchedule must be rate(N minutes|hours|days) or cron(...) (got "${pollSchedule}")`);
  const destroy = text('destroyTable') ?? 'false';
  if (destroy !== 'true' && destroy !== 'false') problems.push(`destroyTable must be true or false (got "${destroy}")`);
  const publicUrl = text('publicUrl');
  if (publicUrl !== undefined && !/^https:\/\/[^/\s]+(?:\/[^\s]*)?$/.test(publicUrl)) problems.push('publicUrl must be an https URL');
  const retention = Number(text('logRetentionDays') ?? '90');
  if (!RETENTION.includes(retention)) problems.push(`logRetentionDays must be one of CloudWatch's retention periods: ${RETENTION.join(', ')}`);
  if (problems.length > 0) throw new Error(`Invalid CDK context:\n  - ${problems.join('\n  - ')}`);
  return { stage, domain, alarmEmail, pollSchedule, destroyTable: destroy === 'true', publicUrl: publicUrl?.replace(/\/+$/, ''), logRetentionDays: retention };
}
