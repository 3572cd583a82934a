// Secrets (the admin token, the token-signing key) live in AWS Secrets Manager; the functions get only
// their ARNs. Each value is fetched on first use, not at cold start (most requests are public reads
// that never need one), then kept for a few minutes so a rotated value is picked up without a
// redeploy and a burst of requests costs one GetSecretValue. The client itself is loaded by the first
// fetch, for the same reason.
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { HubError } from '../shared/errors.ts';

/** A client for AWS, or for a stand-in on loopback when `endpoint` is set (tests). */
export async function createSecretsClient(options: { region: string; endpoint?: string }): Promise<SecretsManagerClient> {
  const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  return new SecretsManagerClient(
    options.endpoint ? { region: options.region, endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : { region: options.region },
  );
}

export class SecretCache {
  private readonly entries = new Map<string, { value: Promise<string>; expires: number }>();

  /** `client` is asked for the client at the first fetch (and again after a failed one). */
  constructor(
    private readonly client: () => Promise<SecretsManagerClient>,
    private readonly ttlMs = 300_000,
    private readonly clock: () => number = Date.now,
    /** Values known without Secrets Manager, by id (the local hub's admin token, from ADMIN_TOKEN). */
    private readonly known: Record<string, string> = {},
  ) {}

  get(secretId: string): Promise<string> {
    if (Object.hasOwn(this.known, secretId)) return Promise.resolve(this.known[secretId]!);
    const hit = this.entries.get(secretId);
    if (hit && hit.expires > this.clock()) return hit.value;
    const value = this.fetch(secretId);
    this.entries.set(secretId, { value, expires: this.clock() + this.ttlMs });
    // A failed fetch is not cached: the next request tries again.
    value.catch(() => {
      if (this.entries.get(secretId)?.value === value) this.entries.delete(secretId);
    });
    return value;
  }

  private async fetch(secretId: string): Promise<string> {
    try {
      const [client, { GetSecretValueCommand }] = await Promise.all([this.client(), import('@aws-sdk/client-secrets-manager')]);
      const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      if (!out.SecretString) throw new Error('the secret has no string value');
      return out.SecretString;
    } catch (err) {
      throw new HubError('internal', 'secret_unavailable', `Could not read a secret from Secrets Manager: ${(err as Error).message}`, { cause: err });
    }
  }
}
