// A real SMTP server on loopback for tests (smtp-server), with the messages it accepted parsed enough
// to check them: envelope, headers (unfolded, encoded words decoded), and the text and HTML parts
// (quoted-printable and base64 decoded). It can be stopped and started again on the same port, and
// told to refuse a recipient with a given reply code.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  /** Lower-case names; values unfolded and decoded. */
  headers: Map<string, string>;
  subject: string;
  text: string;
  html: string;
  contentType: string;
}

export interface TestSmtpServer {
  readonly port: number;
  readonly url: string;
  readonly mails: ReceivedMail[];
  /** Recipient address -> SMTP reply code to refuse it with (e.g. 550). */
  readonly refuse: Map<string, number>;
  readonly running: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves with the mails once `check(mails)` holds; rejects after `timeoutMs`. */
  waitFor(check: (mails: ReceivedMail[]) => boolean, timeoutMs?: number, what?: string): Promise<ReceivedMail[]>;
  to(address: string): ReceivedMail[];
}

function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _cs: string, enc: string, text: string) => {
    if (enc.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
    const bytes = text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, hex: string) => `%${hex}`);
    return decodeURIComponent(bytes.replace(/%(?![0-9A-Fa-f]{2})/g, '%25'));
  });
}

function splitHead(block: string): { headers: Map<string, string>; body: string } {
  const at = block.indexOf('\r\n\r\n');
  const head = at < 0 ? block : block.slice(0, at);
  const body = at < 0 ? '' : block.slice(at + 4);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return { headers, body };
}

function decodeBody(body: string, encoding: string | undefined): string {
  const enc = (encoding ?? '7bit').toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') {
    const soft = body.replace(/=\r\n/g, '');
    const bytes: number[] = [];
    for (let i = 0; i < soft.length; i += 1) {
      if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
        bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(...Buffer.from(soft[i]!, 'utf8'));
    }
    return Buffer.from(bytes).toString('utf8');
  }
  return body;
}

export function parseMail(raw: string, from = '', to: string[] = []): ReceivedMail {
  const { headers, body } = splitHead(raw);
  const contentType = headers.get('content-type') ?? 'text/plain';
  let text = '';
  let html = '';
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (boundary) {
    for (const part of body.split(`--${boundary}`).slice(1)) {
      if (part.startsWith('--')) break;
      const p = splitHead(part.replace(/^\r\n/, ''));
      const decoded = decodeBody(p.body.replace(/\r\n$/, ''), p.headers.get('content-transfer-encoding'));
      const type = p.headers.get('content-type') ?? '';
      if (type.startsWith('text/plain')) text = decoded;
      if (type.startsWith('text/html')) html = decoded;
    }
  } else {
    text = decodeBody(body, headers.get('content-transfer-encoding'));
  }
  return { from, to, raw, headers, subject: headers.get('subject') ?? '', text: text.replace(/\r\n/g, '\n'), html: html.replace(/\r\n/g, '\n'), contentType };
}

export async function startSmtpServer(options: { port?: number } = {}): Promise<TestSmtpServer> {
  const mails: ReceivedMail[] = [];
  const refuse = new Map<string, number>();
  let server: SMTPServer | undefined;
  let port = options.port ?? 0;

  const start = async () => {
    const s = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address, _session, callback) {
        const code = refuse.get(address.address.toLowerCase());
        if (code) return callback(Object.assign(new Error(`refused by the test (${code})`), { responseCode: code }));
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const envelope = session.envelope;
          mails.push(parseMail(Buffer.concat(chunks).toString('utf8'), envelope.mailFrom ? envelope.mailFrom.address : '', envelope.rcptTo.map((r) => r.address)));
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    port = (s.server.address() as AddressInfo).port;
    server = s;
  };

  await start();
  return {
    get port() {
      return port;
    },
    get url() {
      return `smtp://127.0.0.1:${port}`;
    },
    mails,
    refuse,
    get running() {
      return server !== undefined;
    },
    start,
    async stop() {
      const s = server;
      server = undefined;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    async waitFor(check, timeoutMs = 10_000, what = 'the expected mails') {
      const deadline = Date.now() + timeoutMs;
      while (!check(mails)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; received ${mails.length}: ${mails.map((m) => `${m.to.join(',')} "${m.subject}"`).join('; ')}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return mails;
    },
    to(address) {
      return mails.filter((m) => m.to.includes(address));
    },
  };
}
