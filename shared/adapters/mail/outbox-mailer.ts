// The local outbox: with no SMTP_URL set, the local hub writes each mail as an .eml file under
// DATA_DIR/outbox/ (open it in any mail program) instead of sending it, and GET /api/outbox lists them,
// so a new user sees what would have been sent. A message sent again (same Message-ID) replaces its file.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { maskAddress } from '../../alerts/address.ts';
import type { Mailer, MailMessage, SentMail } from '../../ports/mailer.ts';
import { composeMime } from './mime-message.ts';
import { decodeEncodedWords, parseHeaderBlock } from './mime-headers.ts';

export interface OutboxEntry {
  file: string;
  subject: string;
  /** Masked: the listing never shows whole addresses. */
  to: string;
  date: string | null;
  messageId: string | null;
}

const HEAD_BYTES = 16 * 1024;

export class OutboxMailer implements Mailer {
  readonly transport = 'outbox' as const;

  constructor(readonly dir: string) {}

  async send(message: MailMessage): Promise<SentMail> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const stamp = message.date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const id = createHash('sha256').update(message.messageId).digest('hex').slice(0, 12);
    for (const old of (await readdir(this.dir)).filter((f) => f.endsWith(`-${id}.eml`))) await unlink(join(this.dir, old)).catch(() => {});
    const file = `${stamp}-${id}.eml`;
    // Written whole, then renamed: the listing never reads half a file.
    const tmp = join(this.dir, `.${file}.tmp`);
    await writeFile(tmp, await composeMime(message), { mode: 0o600 });
    await rename(tmp, join(this.dir, file));
    return { providerId: file };
  }

  /** Newest first. */
  async list(limit: number): Promise<OutboxEntry[]> {
    const files = (await readdir(this.dir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml')).sort().reverse().slice(0, limit);
    const entries = await Promise.all(
      files.map(async (file) => {
        const head = (await readFile(join(this.dir, file)).catch(() => Buffer.alloc(0))).subarray(0, HEAD_BYTES).toString('utf8');
        const h = parseHeaderBlock(head);
        const to = h.get('to') ?? '';
        const address = /<([^>]+)>/.exec(to)?.[1] ?? to;
        const date = h.get('date');
        return {
          file,
          subject: decodeEncodedWords(h.get('subject') ?? ''),
          to: address ? maskAddress(address.trim()) : '',
          date: date && !Number.isNaN(Date.parse(date)) ? new Date(date).toISOString() : null,
          messageId: h.get('message-id') ?? null,
        };
      }),
    );
    return entries;
  }

  /** Deletes the stored mails to `address` (erasure of a subscriber's data); returns how many. */
  async forget(address: string): Promise<number> {
    const files = (await readdir(this.dir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml'));
    let removed = 0;
    for (const file of files) {
      const h = parseHeaderBlock((await readFile(join(this.dir, file))).subarray(0, HEAD_BYTES).toString('utf8'));
      const to = (h.get('to') ?? '').toLowerCase();
      if ((/<([^>]+)>/.exec(to)?.[1] ?? to).trim() === address.toLowerCase()) {
        await unlink(join(this.dir, file));
        removed += 1;
      }
    }
    return removed;
  }
}
