// A burst larger than one batch of the alerts queue, in the local runtime (dynalite, fauxqs, an SMTP
// server on loopback): 300 papers from one member reach a subscriber as one rollup mail, whichever
// way the queue hands them over; and a stop with hundreds of alerts waiting drains the queue.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BURST_GATHER_MS } from '../../shared/alerts/burst.ts';
import { runAlertsTick } from '../../shared/alerts/digest.ts';
import { loadConfig } from '../../shared/config.ts';
import { createLogger } from '../../shared/log.ts';
import { settleBatch, startAlertsWorker } from '../../local/alerts-queue-worker.ts';
import { DeleteMessageBatchCommand, PurgeQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime.ts';
import type { Publication } from '../../shared/model.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

let smtp: TestSmtpServer;
let runtime: LocalRuntime | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'icat-alerts-burst-'));
const logLines: string[] = [];
let clockShift = 0;

const publications = (member: string, n: number, at: string): Publication[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `${member}-${i}`, title: `${member.toUpperCase()} paper ${i}`, link: `https://${member}.example/${i}`, authors: [], categories: [], enclosures: [],
    members: [member], feeds: [`f-${member}`], firstSeen: at, sortDate: at, contentHash: `h${i}`,
  }));

async function announce(items: Publication[]): Promise<void> {
  for (let i = 0; i < items.length; i += 50) expect((await runtime!.ctx.notifier.announce(items.slice(i, i + 50))).announced).toHaveLength(Math.min(50, items.length - i));
}

async function queueEmpty(): Promise<boolean> {
  const { queue } = await runtime!.alerts.ctx.queue!.depth();
  return queue.visible === 0 && queue.inFlight === 0 && queue.delayed === 0;
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  const log = createLogger({ level: 'debug', write: (line) => logLines.push(line) });
  runtime = await startLocalRuntime(loadConfig({ DATA_DIR: dataDir, ADMIN_TOKEN: 'burst-queue-admin-token-0123', SMTP_URL: smtp.url, MAIL_FROM: 'alerts@hub.example' }), log);
  const { ctx } = runtime.alerts;
  // The test moves the alerts' clock past the gathering time instead of waiting for it.
  ctx.now = () => new Date(Date.now() + clockShift);
  const at = new Date(Date.now() - 60_000).toISOString();
  for (const [email, member] of [['reader@example.org', 'unodc'], ['watcher@example.org', 'iom']]) {
    await ctx.subscriptions.createSubscription({
      id: await ctx.tokens.addressId(email!), email: email!, status: 'active', frequency: 'instant', gen: 'g', createdAt: at, updatedAt: at, confirmedAt: at, recentAlerts: [], rev: 1,
      filters: { members: [member!], categories: [], languages: [], keywords: [] },
    });
  }
});

afterAll(async () => {
  await runtime?.stop();
  await smtp?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a burst larger than a batch of the alerts queue', () => {
  it('300 papers from one member: one rollup mail, listing a part and linking to the rest', async () => {
    await announce(publications('unodc', 300, new Date().toISOString()));
    const worker = startAlertsWorker(runtime!.alerts, { batchWindowSeconds: 0, tickSeconds: 3600, waitSeconds: 0 });
    try {
      while (!(await queueEmpty())) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await worker.stop();
    }
    expect(smtp.to('reader@example.org')).toHaveLength(0);
    clockShift = BURST_GATHER_MS + 1000;
    await runAlertsTick(runtime!.alerts.ctx);
    const mails = smtp.to('reader@example.org');
    expect(mails.map((m) => m.subject)).toEqual(['[ICAT] 300 new publications from UNODC']);
    expect(mails[0]!.text).toMatch(/and 200 more: https?:\/\/\S+\/\?member=unodc/);
    await runAlertsTick(runtime!.alerts.ctx);
    expect(smtp.to('reader@example.org')).toHaveLength(1);
    expect(runtime!.alerts.failures).toEqual({ notDeleted: 0, notDelayed: 0, batchFailed: 0, drainFailed: 0 });
  }, 120_000);

  it('logs and counts what the worker gets past: a message it could not delete or delay', async () => {
    const { sqs, queueUrl } = runtime!.alerts;
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: 'a', MessageBody: 'not json' }, { Id: 'b', MessageBody: JSON.stringify({ id: 'nobody-1', title: 'Nobody reads this', members: ['nobody'], categories: [], enclosures: [], first_seen: new Date().toISOString() }) }] }));
    const messages = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }))).Messages!;
    expect(messages).toHaveLength(2);
    // Gone from under the worker: its receipt handles are stale.
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: messages.map((m, i) => ({ Id: `x${i}`, ReceiptHandle: m.ReceiptHandle! })) }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
    const before = logLines.length;
    await settleBatch(runtime!.alerts, messages);
    const warned = logLines.slice(before).map((l) => JSON.parse(l)).filter((l) => l.level === 'warn').map((l) => l.message);
    expect(runtime!.alerts.failures.notDelayed).toBe(1);
    expect(warned).toContain('alerts message not delayed; it comes back after the queue visibility timeout');
    runtime!.alerts.failures.notDelayed = 0;
    runtime!.alerts.failures.notDeleted = 0;
  });

  it('a stop with 150 alerts waiting drains the queue and logs no error', async () => {
    await announce(publications('iom', 150, new Date(Date.now() + clockShift).toISOString()));
    expect((await runtime!.alerts.ctx.queue!.depth()).queue.visible).toBe(150);
    const before = logLines.length;
    await runtime!.stop();
    runtime = undefined;
    const lines = logLines.slice(before).map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(lines.find((l) => l.message === 'alerts queue drained at stop')).toMatchObject({ message_count: 150 });
  }, 120_000);
});
