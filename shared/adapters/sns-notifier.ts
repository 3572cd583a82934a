// Announces publications on the SNS topic. The body is JSON a subscriber can use as is; the message
// attributes let subscribers filter (see README "Announcements"):
//   member      String        the member whose feed first carried it
//   members     String.Array  every member credited at announcement time
//   categories  String.Array  up to 20 categories
//   language    String        e.g. "en" (absent when the feed does not say)
//   publication_id String     the id, so a subscriber can drop a redelivered message
import { PublishBatchCommand, type MessageAttributeValue, type SNSClient } from '@aws-sdk/client-sns';
import type { Publication } from '../model.ts';
import { announcementBody, type AnnounceResult, type Notifier } from '../ports/notifier.ts';

export { announcementBody, type AnnouncementBody } from '../ports/notifier.ts';

const BATCH = 10; // SNS PublishBatch limit

export function announcementAttributes(p: Publication): Record<string, MessageAttributeValue> {
  const attrs: Record<string, MessageAttributeValue> = {
    publication_id: { DataType: 'String', StringValue: p.id },
  };
  if (p.members[0]) attrs.member = { DataType: 'String', StringValue: p.members[0] };
  if (p.members.length > 0) attrs.members = { DataType: 'String.Array', StringValue: JSON.stringify(p.members) };
  const categories = p.categories.slice(0, 20).map((c) => c.slice(0, 100));
  if (categories.length > 0) attrs.categories = { DataType: 'String.Array', StringValue: JSON.stringify(categories) };
  if (p.language) attrs.language = { DataType: 'String', StringValue: p.language };
  return attrs;
}

/** SNS subjects must be printable ASCII, start with a letter, digit or punctuation, and stay under 100 chars. */
export function snsSubject(title: string): string {
  const ascii = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return ascii.slice(0, 99).trim() || 'New publication';
}

export class SnsNotifier implements Notifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async announce(publications: Publication[]): Promise<AnnounceResult> {
    const result: AnnounceResult = { announced: [], failed: [] };
    for (let i = 0; i < publications.length; i += BATCH) {
      const batch = publications.slice(i, i + BATCH);
      try {
        const out = await this.sns.send(
          new PublishBatchCommand({
            TopicArn: this.topicArn,
            PublishBatchRequestEntries: batch.map((p) => ({
              Id: p.id,
              Subject: snsSubject(p.title),
              Message: JSON.stringify(announcementBody(p)),
              MessageAttributes: announcementAttributes(p),
            })),
          }),
        );
        for (const ok of out.Successful ?? []) if (ok.Id) result.announced.push(ok.Id);
        for (const bad of out.Failed ?? []) if (bad.Id) result.failed.push({ id: bad.Id, error: `${bad.Code ?? 'error'}: ${bad.Message ?? ''}` });
      } catch (err) {
        for (const p of batch) result.failed.push({ id: p.id, error: (err as Error).message });
      }
    }
    return result;
  }
}
