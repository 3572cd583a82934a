// Turns the bytes of a response into text. Feed parsers all work on strings and silently yield
// U+FFFD when handed wrongly decoded text, so the encoding is settled here, in this order:
// byte order mark, HTTP charset, XML declaration, UTF-8 (checked), then windows-1252.
// iconv-lite does the decoding: Node 20's TextDecoder('windows-1252') maps curly quotes and the
// euro sign to C1 control characters (nodejs/node#60888).
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

const BOMS: { bytes: number[]; encoding: string }[] = [
  // UTF-32 first: its little-endian mark starts with the UTF-16 one.
  { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: 'utf-32le' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: 'utf-32be' },
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

// Labels that mean "one byte per character, western". Browsers (WHATWG Encoding) read all of
// them as windows-1252, and so do real feeds: servers say ISO-8859-1 and send curly quotes.
const WINDOWS_1252_ALIASES = new Set([
  'iso-8859-1', 'iso8859-1', 'iso_8859-1', 'iso88591', 'latin1', 'latin-1', 'l1', 'cp819', 'ibm819',
  'iso-ir-100', 'csisolatin1', 'us-ascii', 'ascii', 'ansi_x3.4-1968', 'cp1252', 'x-cp1252', 'windows-1252',
]);

// Legacy labels read as the superset encodings that servers actually send under them (as browsers do).
const SUPERSETS: Record<string, string> = {
  gb2312: 'gb18030', gbk: 'gb18030', 'x-gbk': 'gb18030', 'euc-kr': 'cp949', 'ks_c_5601-1987': 'cp949',
  'iso-8859-9': 'windows-1254', 'latin5': 'windows-1254', 'tis-620': 'windows-874', 'iso-8859-11': 'windows-874',
  big5: 'big5hkscs',
};

export function decodeBody(bytes: Buffer, contentType?: string): { text: string; encoding: string } {
  const bom = BOMS.find((b) => b.bytes.every((v, i) => bytes[i] === v));
  if (bom) return decodeAs(bytes.subarray(bom.bytes.length), bom.encoding);

  const fromHttp = usableEncoding(charsetOf(contentType), bytes);
  if (fromHttp && fromHttp !== 'utf-8') return decodeAs(bytes, fromHttp);

  // UTF-16 and UTF-32 without a mark still start with "<": one ASCII unit padded with zero bytes.
  const sniffed = sniffWideEncoding(bytes);
  if (sniffed) return decodeAs(bytes, sniffed);

  const fromDeclaration = fromHttp ? undefined : usableEncoding(declaredEncoding(bytes), bytes);
  if (fromDeclaration && fromDeclaration !== 'utf-8') return decodeAs(bytes, fromDeclaration);

  // Declared UTF-8, or nothing declared. Templates often claim UTF-8 over windows-1252 bytes, so
  // the claim is checked: bytes that hold no valid multi-byte sequence but do hold invalid ones
  // are windows-1252; UTF-8 with the odd stray byte stays UTF-8 (the stray byte becomes U+FFFD).
  // Strictly valid UTF-8 (checked natively) has no invalid sequence; only the rest is counted.
  // Valid UTF-8 has one reading, which Buffer's decoder gives faster than TextDecoder; the two
  // differ only on a leading byte order mark, and a document starting with one left above.
  if (isUtf8(bytes)) return { text: bytes.toString('utf8'), encoding: 'utf-8' };
  const { valid, invalid } = utf8Sequences(bytes);
  if (invalid === 0 || valid > invalid) return decodeAs(bytes, 'utf-8');
  return decodeAs(bytes, 'windows-1252');
}

/** Counts well-formed multi-byte UTF-8 sequences and bytes that cannot be UTF-8. */
function utf8Sequences(b: Buffer): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < b.length; ) {
    const c = b[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    const extra = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    let ok = extra > 0;
    for (let k = 1; ok && k <= extra; k++) ok = ((b[i + k] ?? 0) & 0xc0) === 0x80;
    if (ok) {
      valid++;
      i += extra + 1;
    } else {
      invalid++;
      i++;
    }
  }
  return { valid, invalid };
}

function sniffWideEncoding(b: Buffer): string | undefined {
  const head = [b[0], b[1], b[2], b[3]].map((x) => (x === 0x3c ? '<' : x === 0 ? '0' : 'x')).join('');
  if (head === '000<') return 'utf-32be';
  if (head === '<000') return 'utf-32le';
  if (head.startsWith('0<0')) return 'utf-16be';
  if (head.startsWith('<0') && head !== '<000') return 'utf-16le';
  return undefined;
}

// Without { stream: true } a decode call keeps no state, so one decoder serves every call.
const UTF8 = new TextDecoder('utf-8', { ignoreBOM: false });

function decodeAs(bytes: Buffer, encoding: string): { text: string; encoding: string } {
  if (encoding === 'utf-8') return { text: UTF8.decode(bytes), encoding };
  return { text: iconv.decode(bytes, encoding, { stripBOM: true }), encoding };
}

/** The charset parameter of a Content-Type header, lower-cased, without quotes. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const m = contentType?.match(/;\s*charset\s*=\s*(["']?)([^"';,\s]+)\1/i);
  return m?.[2]?.toLowerCase();
}

/** The encoding named in an `<?xml ... encoding="..."?>` declaration, read as ASCII. */
function declaredEncoding(bytes: Buffer): string | undefined {
  const head = bytes.subarray(0, 512).toString('latin1');
  const m = head.match(/^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/);
  return m?.[1]?.toLowerCase();
}

/**
 * Maps a charset label to an encoding iconv-lite can decode, or undefined when the label is
 * unknown or cannot be true of these bytes (a UTF-16 label on a document whose first bytes are
 * plain ASCII: the document was re-encoded and the label left behind). Undefined moves the
 * caller on to the next source of truth.
 */
function usableEncoding(label: string | undefined, bytes: Buffer): string | undefined {
  if (!label) return undefined;
  const name = label.trim().toLowerCase();
  if (WINDOWS_1252_ALIASES.has(name)) return 'windows-1252';
  const superset = SUPERSETS[name];
  if (superset) return superset;
  if (name === 'utf8' || name === 'utf-8' || name === 'unicode-1-1-utf-8') return 'utf-8';
  if (/^(utf-?16|utf-?32|ucs-?2|ucs-?4|unicode)/.test(name)) {
    const looksSingleByte = bytes.length > 1 && bytes[0] !== 0x00 && bytes[1] !== 0x00;
    if (looksSingleByte) return undefined;
  }
  return iconv.encodingExists(name) ? name : undefined;
}
