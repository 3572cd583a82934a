// Reads the header block of a stored message back (the outbox listing): unfolding (RFC 5322 2.2.3)
// and encoded words (RFC 2047, B and Q, in any charset TextDecoder knows).

/** Header names in lower case -> their first value, unfolded. */
export function parseHeaderBlock(message: string): Map<string, string> {
  const end = message.search(/\r?\n\r?\n/);
  const block = (end < 0 ? message : message.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

function decodeBytes(charset: string, bytes: Buffer): string {
  try {
    return new TextDecoder(charset.toLowerCase()).decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

/** "=?UTF-8?Q?caf=C3=A9?=" -> "café"; whitespace between adjacent encoded words is dropped. */
export function decodeEncodedWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_m, charset: string, enc: string, text: string) => {
      const cs = charset.split('*')[0]!;
      if (enc.toUpperCase() === 'B') return decodeBytes(cs, Buffer.from(text, 'base64'));
      const bytes: number[] = [];
      for (let i = 0; i < text.length; i += 1) {
        const c = text[i]!;
        if (c === '_') bytes.push(0x20);
        else if (c === '=' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
          bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
          i += 2;
        } else bytes.push(c.charCodeAt(0) & 0xff);
      }
      return decodeBytes(cs, Buffer.from(bytes));
    });
}
