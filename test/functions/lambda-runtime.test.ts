// What every function shares: configuration checked at init, the Powertools-backed logger, the
// secret cache.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../shared/errors.ts';
import { loadLambdaConfig } from '../../lambda/lambda-config.ts';
import { createPowertoolsLogger, powertoolsLogger } from '../../lambda/powertools-logger.ts';
import { createSecretsClient, SecretCache } from '../../lambda/secrets.ts';
import { captureOutput, startSecretsStandIn } from './harness.ts';

describe('loadLambdaConfig', () => {
  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadLambdaConfig({ TOPIC_ARN: 'publications', POLL_INTERVAL: 'often' }, { pollQueue: true, adminToken: true });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.split(' ')[0]).sort()).toEqual(['ADMIN_TOKEN_SECRET_ARN', 'POLL_INTERVAL', 'POLL_QUEUE_URL', 'TABLE_NAME', 'TOPIC_ARN']);
  });

  it('asks only for what the function needs', () => {
    const config = loadLambdaConfig({ TABLE_NAME: 'icat-hub-prod', TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:publications', POWERTOOLS_SERVICE_NAME: 'icat-hub-prod' });
    expect(config).toMatchObject({ tableName: 'icat-hub-prod', serviceName: 'icat-hub-prod', pollQueueUrl: undefined, adminTokenSecretArn: undefined });
  });
});

describe('Powertools logger', () => {
  it('writes the hub fields as JSON, child fields kept, e-mail addresses and secrets masked', () => {
    const out = captureOutput();
    try {
      const log = powertoolsLogger(createPowertoolsLogger({ serviceName: 'icat-hub-test', level: 'info' }));
      log.child({ feed_id: 'f1', contact_email: 'someone@example.org' }).warn('mail to someone@example.org bounced', { error: 'rejected: jane.doe@example.org', api_key: 'ihk_secret', new_count: 2 });
      log.debug('not at info level');
    } finally {
      out.restore();
    }
    const lines = out.records();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'WARN', service: 'icat-hub-test', message: 'mail to [email] bounced', feed_id: 'f1', contact_email: '[redacted]', error: 'rejected: [email]', api_key: '[redacted]', new_count: 2 });
    expect(JSON.stringify(lines)).not.toContain('example.org');
  });
});

describe('SecretCache', () => {
  it('reads a secret once, keeps it for the TTL, and retries after a failure, loading the client only when it fetches', async () => {
    const stand = await startSecretsStandIn({ 'arn:aws:secretsmanager:us-east-1:1:secret:a': 'value-a' });
    let now = 0;
    const client = await createSecretsClient({ region: 'us-east-1', endpoint: stand.endpoint });
    let clientsAsked = 0;
    const cache = new SecretCache(async () => (clientsAsked++, client), 1000, () => now);
    expect(clientsAsked).toBe(0);
    try {
      expect(await cache.get('arn:aws:secretsmanager:us-east-1:1:secret:a')).toBe('value-a');
      expect(await cache.get('arn:aws:secretsmanager:us-east-1:1:secret:a')).toBe('value-a');
      expect(stand.requests).toHaveLength(1);
      now = 1001;
      await cache.get('arn:aws:secretsmanager:us-east-1:1:secret:a');
      expect(stand.requests).toHaveLength(2);
      await expect(cache.get('arn:aws:secretsmanager:us-east-1:1:secret:missing')).rejects.toMatchObject({ code: 'secret_unavailable' });
      await expect(cache.get('arn:aws:secretsmanager:us-east-1:1:secret:missing')).rejects.toMatchObject({ code: 'secret_unavailable' });
      expect(stand.requests.filter((r) => r.endsWith('missing'))).toHaveLength(2);
      // The client is asked for by each fetch, never built before the first one.
      expect(clientsAsked).toBe(4);
    } finally {
      client.destroy();
      await stand.close();
    }
  });
});
