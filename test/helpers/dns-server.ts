// A tiny authoritative DNS server on loopback UDP that answers TXT queries from a table, so the
// hub's real resolver (node:dns Resolver pointed at it) can be tested without any outside DNS.
import { createSocket, type Socket } from 'node:dgram';

export interface TxtServer {
  /** "127.0.0.1:port", for Resolver#setServers. */
  address: string;
  records: Map<string, string[]>;
  queries: string[];
  close(): Promise<void>;
}

function readName(msg: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  while (msg[at]! !== 0) {
    const len = msg[at]!;
    labels.push(msg.subarray(at + 1, at + 1 + len).toString('ascii'));
    at += len + 1;
  }
  return { name: labels.join('.').toLowerCase(), end: at + 1 };
}

function answer(query: Buffer, records: Map<string, string[]>, seen: string[]): Buffer {
  const { name, end } = readName(query, 12);
  seen.push(name);
  const qtype = query.readUInt16BE(end);
  const question = query.subarray(12, end + 4);
  const texts = qtype === 16 ? (records.get(name) ?? []) : [];
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2); // id
  header.writeUInt16BE(texts.length > 0 || records.has(name) ? 0x8400 : 0x8403, 2); // QR AA, NOERROR or NXDOMAIN
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(texts.length, 6);
  const answers = texts.map((text) => {
    const data = Buffer.from(text, 'utf8');
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); // name: pointer to the question
    rr.writeUInt16BE(16, 2); // TXT
    rr.writeUInt16BE(1, 4); // IN
    rr.writeUInt32BE(60, 6);
    rr.writeUInt16BE(data.length + 1, 10);
    return Buffer.concat([rr, Buffer.from([data.length]), data]);
  });
  return Buffer.concat([header, question, ...answers]);
}

export async function startTxtServer(records: Record<string, string[]> = {}): Promise<TxtServer> {
  const table = new Map(Object.entries(records));
  const queries: string[] = [];
  const socket: Socket = createSocket('udp4');
  socket.on('message', (msg, rinfo) => socket.send(answer(msg, table, queries), rinfo.port, rinfo.address));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    records: table,
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
