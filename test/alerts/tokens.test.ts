import { describe, expect, it } from 'vitest';
import { CONFIRM_TOKEN_SECONDS, TokenService } from '../../shared/alerts/tokens.ts';
import { ConfigError, ValidationError } from '../../shared/errors.ts';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const NOW = new Date('2026-11-02T09:00:00Z');
const base = { subscriptionId: 'a'.repeat(40), gen: 'g3n-Xy_1' };

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).code;
  }
}

describe('signed links', () => {
  const tokens = new TokenService(() => SECRET);

  it('round-trips the claims of each purpose', async () => {
    const exp = Math.floor(NOW.getTime() / 1000) + CONFIRM_TOKEN_SECONDS;
    const confirm = await tokens.sign({ purpose: 'confirm', ...base, nonce: 'n0nce', expiresAt: exp });
    expect(confirm).toMatch(/^c\.a{40}\.g3n-Xy_1\.[0-9a-z]+\.n0nce\.[\w-]{32}$/);
    expect(await tokens.verify(confirm, 'confirm', NOW)).toEqual({ purpose: 'confirm', ...base, nonce: 'n0nce', expiresAt: exp });
    const manage = await tokens.sign({ purpose: 'manage', ...base });
    expect(await tokens.verify(manage, 'manage', new Date('2036-01-01T00:00:00Z'))).toEqual({ purpose: 'manage', ...base });
  });

  it('is single-purpose: a manage link neither unsubscribes nor confirms', async () => {
    const manage = await tokens.sign({ purpose: 'manage', ...base });
    expect(await code(tokens.verify(manage, 'unsubscribe', NOW))).toBe('invalid_token');
    expect(await code(tokens.verify(manage, 'confirm', NOW))).toBe('invalid_token');
    // Relabelled as an unsubscribe link: the signature was made with the manage key.
    expect(await code(tokens.verify(`u${manage.slice(1)}`, 'unsubscribe', NOW))).toBe('invalid_token');
  });

  it('refuses tampered, truncated and foreign tokens', async () => {
    const unsub = await tokens.sign({ purpose: 'unsubscribe', ...base });
    const parts = unsub.split('.');
    const otherSub = [parts[0], 'b'.repeat(40), ...parts.slice(2)].join('.');
    expect(await code(tokens.verify(otherSub, 'unsubscribe', NOW))).toBe('invalid_token');
    expect(await code(tokens.verify(unsub.slice(0, -1), 'unsubscribe', NOW))).toBe('invalid_token');
    expect(await code(tokens.verify(`${unsub}x`, 'unsubscribe', NOW))).toBe('invalid_token');
    expect(await code(tokens.verify(undefined, 'unsubscribe', NOW))).toBe('invalid_token');
    expect(await code(tokens.verify('x'.repeat(400), 'unsubscribe', NOW))).toBe('invalid_token');
    const other = new TokenService(() => `${SECRET}-other`);
    expect(await code(other.verify(unsub, 'unsubscribe', NOW))).toBe('invalid_token');
  });

  it('expires confirmation links after 7 days', async () => {
    const exp = Math.floor(NOW.getTime() / 1000) + CONFIRM_TOKEN_SECONDS;
    const confirm = await tokens.sign({ purpose: 'confirm', ...base, nonce: 'n', expiresAt: exp });
    expect(await code(tokens.verify(confirm, 'confirm', new Date(NOW.getTime() + CONFIRM_TOKEN_SECONDS * 1000 - 1000)))).toBeUndefined();
    expect(await code(tokens.verify(confirm, 'confirm', new Date(NOW.getTime() + CONFIRM_TOKEN_SECONDS * 1000 + 1000)))).toBe('expired_token');
  });

  it('keys addresses by a keyed hash that depends on the secret', async () => {
    const id = await tokens.addressId('reader@example.org');
    expect(id).toMatch(/^[0-9a-f]{40}$/);
    expect(await tokens.addressId('reader@example.org')).toBe(id);
    expect(await tokens.addressId('reader2@example.org')).not.toBe(id);
    expect(await new TokenService(() => `${SECRET}-other`).addressId('reader@example.org')).not.toBe(id);
  });

  it('reads the secret once, and again after a failed read; refuses a short one', async () => {
    let reads = 0;
    let fail = true;
    const lazy = new TokenService(async () => {
      reads += 1;
      if (fail) throw new Error('Secrets Manager unreachable');
      return SECRET;
    });
    await expect(lazy.addressId('a@example.org')).rejects.toThrow(/unreachable/);
    fail = false;
    await lazy.addressId('a@example.org');
    await lazy.sign({ purpose: 'manage', ...base });
    expect(reads).toBe(2);
    await expect(new TokenService(() => 'short').addressId('a@example.org')).rejects.toBeInstanceOf(ConfigError);
  });
});
