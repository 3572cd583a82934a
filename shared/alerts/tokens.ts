// Signed links and address keys, both from one secret (TOKEN_SECRET; in AWS the signing-key secret).
//
// A token is "<purpose>.<subscription id>.<gen>.<expiry>.<nonce>.<signature>": HMAC-SHA256 over the
// first five fields, with a key derived per purpose, so a manage link can never be used to
// unsubscribe or confirm. Confirmation links expire after 7 days and work once (their nonce must match
// the pending request). Manage and unsubscribe links are mailed in every alert and must keep working
// (RFC 8058): they do not expire, but name the subscription's random `gen`, so deleting a subscriber
// revokes every link ever sent to them. Rotating the secret revokes all links, and changes every
// address key: do it only when the secret leaked.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigError, ValidationError } from '../errors.ts';

export type TokenPurpose = 'confirm' | 'manage' | 'unsubscribe';
const CODES: Record<TokenPurpose, string> = { confirm: 'c', manage: 'm', unsubscribe: 'u' };

export const CONFIRM_TOKEN_SECONDS = 7 * 24 * 3600;

export interface TokenClaims {
  purpose: TokenPurpose;
  subscriptionId: string;
  gen: string;
  /** Unix seconds; absent on links that do not expire. */
  expiresAt?: number;
  nonce?: string;
}

const FIELD = /^[A-Za-z0-9_-]*$/;

export class TokenService {
  private keys?: Promise<Record<string, Buffer>>;

  /** `secret` may be read lazily (Secrets Manager): it is asked for once, on first use. */
  constructor(private readonly secret: () => Promise<string> | string) {}

  private derived(): Promise<Record<string, Buffer>> {
    this.keys ??= Promise.resolve(this.secret()).then((s) => {
      if (s.length < 32) throw new ConfigError(['the token secret must be at least 32 characters long']);
      const derive = (label: string) => createHmac('sha256', s).update(`icat-hub/alerts/${label}`).digest();
      return { address: derive('address'), c: derive('token/confirm'), m: derive('token/manage'), u: derive('token/unsubscribe') };
    });
    // A failed read (Secrets Manager down) is not kept: the next call tries again.
    this.keys.catch(() => (this.keys = undefined));
    return this.keys;
  }

  /** The subscription id of a normalised address: 40 hex characters of HMAC-SHA256. */
  async addressId(address: string): Promise<string> {
    const keys = await this.derived();
    return createHmac('sha256', keys.address!).update(address).digest('hex').slice(0, 40);
  }

  async sign(claims: TokenClaims): Promise<string> {
    const code = CODES[claims.purpose];
    const fields = [code, claims.subscriptionId, claims.gen, claims.expiresAt === undefined ? '' : claims.expiresAt.toString(36), claims.nonce ?? ''];
    if (!fields.every((f) => FIELD.test(f))) throw new ValidationError('invalid_token_claims', 'Token fields must be URL-safe.');
    const payload = fields.join('.');
    return `${payload}.${await this.signature(code, payload)}`;
  }

  /** The claims of a genuine, unexpired token of `purpose`; a ValidationError otherwise. */
  async verify(token: unknown, purpose: TokenPurpose, now: Date): Promise<TokenClaims> {
    const bad = () => new ValidationError('invalid_token', 'This link is not valid. Check that it was copied whole.');
    if (typeof token !== 'string' || token.length > 300) throw bad();
    const parts = token.split('.');
    if (parts.length !== 6 || !parts.every((p) => FIELD.test(p))) throw bad();
    const [code, subscriptionId, gen, expiry, nonce, signature] = parts as [string, string, string, string, string, string];
    if (code !== CODES[purpose] || subscriptionId === '' || gen === '') throw bad();
    const expected = Buffer.from(await this.signature(code, parts.slice(0, 5).join('.')));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw bad();
    const expiresAt = expiry === '' ? undefined : parseInt(expiry, 36);
    if (expiresAt !== undefined && (!Number.isFinite(expiresAt) || expiresAt * 1000 < now.getTime())) {
      throw new ValidationError('expired_token', 'This link has expired. Subscribe again to get a new one.');
    }
    return { purpose, subscriptionId, gen, ...(expiresAt === undefined ? {} : { expiresAt }), ...(nonce ? { nonce } : {}) };
  }

  private async signature(code: string, payload: string): Promise<string> {
    const key = (await this.derived())[code];
    if (!key) throw new ValidationError('invalid_token', 'Unknown token purpose.');
    return createHmac('sha256', key).update(payload).digest('base64url').slice(0, 32);
  }
}
