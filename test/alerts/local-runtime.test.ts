// The local runtime's share of alerts: the queue and its dead-letter queue made in the embedded SNS/SQS
// and subscribed to the topic, and what is still queued when the runtime stops (a one-off
// `icat-hub poll`, where no worker runs) handed to the mailer before it goes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config.ts';
import { silentLogger } from '../../shared/log.ts';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime.ts';
import type { Publication } from '../../shared/model.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

let smtp: TestSmtpServer;
let runtime: LocalRuntime | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'icat-alerts-runtime-'));

beforeAll(async () => {
  smtp = await startSmtpServer();
  runtime = await startLocalRuntime(loadConfig({ DATA_DIR: dataDir, ADMIN_TOKEN: 'local-runtime-admin-token-0123', SMTP_URL: smtp.url, ALERTS_MAX_RECEIVES: '7', MAIL_FROM: 'alerts@hub.example' }), silentLogger);
});

afterAll(async () => {
  await runtime?.stop();
  await smtp?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('alerts in the local runtime', () => {
  it('makes the alerts queue with its dead-letter queue', async () => {
    const { sqs, queueUrl, deadLetterUrl } = runtime!.alerts;
    const attrs = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['RedrivePolicy'] }))).Attributes!;
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: deadLetterUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn;
    expect(JSON.parse(attrs.RedrivePolicy!)).toEqual({ deadLetterTargetArn: dlqArn, maxReceiveCount: 7 });
  });

  it('mails what is still queued when it stops', async () => {
    const { ctx } = runtime!.alerts;
    const at = new Date().toISOString();
    await ctx.subscriptions.createSubscription({
      id: await ctx.tokens.addressId('reader@example.org'), email: 'reader@example.org', status: 'active', frequency: 'instant', gen: 'g', createdAt: at, updatedAt: at, recentAlerts: [], rev: 1,
      filters: { members: ['unodc'], categories: [], languages: [], keywords: [] },
    });
    const publication: Publication = {
      id: 'pqueued', title: 'Toolkit for first responders', link: 'https://www.unodc.org/toolkit', authors: [], categories: [], enclosures: [],
      members: ['unodc'], feeds: ['f1'], firstSeen: at, sortDate: at, contentHash: 'h',
    };
    expect((await runtime!.ctx.notifier.announce([publication])).announced).toEqual(['pqueued']);
    expect((await ctx.queue!.depth()).queue.visible).toBe(1);
    expect(smtp.mails).toHaveLength(0);
    await runtime!.stop();
    runtime = undefined;
    expect(smtp.to('reader@example.org').map((m) => m.subject)).toEqual(['[ICAT] UNODC: Toolkit for first responders']);
  });
});
