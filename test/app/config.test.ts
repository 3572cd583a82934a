import { describe, expect, it } from 'vitest';
import { loadConfig, parseDuration } from '../../shared/config.ts';
import { ConfigError } from '../../shared/errors.ts';

describe('configuration', () => {
  it('has sensible defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 8787, publicUrl: 'http://localhost:8787', dataDir: '.data', pollIntervalSeconds: 900, tableName: 'icat-hub', topicName: 'publications' });
    expect(c.adminToken).toBeUndefined();
  });

  it('reads durations in seconds or with units', () => {
    expect(parseDuration('900')).toBe(900);
    expect(parseDuration('15m')).toBe(900);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('2d')).toBe(172800);
    expect(parseDuration('soon')).toBeUndefined();
    expect(loadConfig({ POLL_INTERVAL: '1h' }).pollIntervalSeconds).toBe(3600);
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', PUBLIC_URL: 'ftp://x', POLL_INTERVAL: 'often', ALLOW_PRIVATE_NETWORKS: '10.0.0.0/99', ADMIN_TOKEN: 'short' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/PORT/);
    expect(problems.join('\n')).toMatch(/PUBLIC_URL/);
    expect(problems.join('\n')).toMatch(/POLL_INTERVAL/);
    expect(problems.join('\n')).toMatch(/ALLOW_PRIVATE_NETWORKS/);
    expect(problems.join('\n')).toMatch(/ADMIN_TOKEN/);
  });

  it('takes the public URL without a trailing slash', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://hub.icat.example/' }).publicUrl).toBe('https://hub.icat.example');
  });

  it('has registration and request limits, and trusts no proxy by default', () => {
    expect(loadConfig({})).toMatchObject({ maxFeedsPerMember: 50, registrationsPerHour: 20, publicRateLimit: 120, trustProxy: 0 });
    const c = loadConfig({ MAX_FEEDS_PER_MEMBER: '5', REGISTRATIONS_PER_HOUR: '3', PUBLIC_RATE_LIMIT: '0', TRUST_PROXY: '2' });
    expect(c).toMatchObject({ maxFeedsPerMember: 5, registrationsPerHour: 3, publicRateLimit: 0, trustProxy: 2 });
    expect(loadConfig({ TRUST_PROXY: 'on' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'off' }).trustProxy).toBe(0);
  });

  it('reports every wrong limit at once', () => {
    let error: unknown;
    try {
      loadConfig({ MAX_FEEDS_PER_MEMBER: '0', REGISTRATIONS_PER_HOUR: 'lots', PUBLIC_RATE_LIMIT: '-1', TRUST_PROXY: 'cloudfront' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['MAX_FEEDS_PER_MEMBER', 'REGISTRATIONS_PER_HOUR', 'PUBLIC_RATE_LIMIT', 'TRUST_PROXY']) expect(problems).toContain(name);
    expect((error as ConfigError).problems).toHaveLength(4);
  });

  it('has e-mail alert defaults: the outbox, a From on the public host, a generated token secret', () => {
    const c = loadConfig({ PUBLIC_URL: 'https://hub.icat.example' });
    expect(c).toMatchObject({
      smtpUrl: undefined,
      mailFrom: 'ICAT publication alerts <alerts@hub.icat.example>',
      mailDomain: 'hub.icat.example',
      mailUnsubscribeTo: 'alerts@hub.icat.example',
      tokenSecret: undefined,
      alertsQueueName: 'alerts',
      alertsBatchWindowSeconds: 10,
      alertsRetrySeconds: 30,
      alertsTickSeconds: 60,
      alertsMaxReceives: 5,
    });
    const set = loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525', MAIL_FROM: 'alerts@mail.example.org', TOKEN_SECRET: 'x'.repeat(32), ALERTS_BATCH_WINDOW: '0', ALERTS_RETRY_BASE: '2m' });
    expect(set).toMatchObject({ smtpUrl: 'smtp://127.0.0.1:2525', mailDomain: 'mail.example.org', mailUnsubscribeTo: 'alerts@mail.example.org', alertsBatchWindowSeconds: 0, alertsRetrySeconds: 120 });
  });

  it('reports every wrong mail setting at once, without echoing an SMTP password', () => {
    let error: unknown;
    try {
      loadConfig({ SMTP_URL: 'http://user:hunter2@mail.example', MAIL_FROM: 'not an address', TOKEN_SECRET: 'short', ALERTS_QUEUE_NAME: 'bad name', ALERTS_TICK: '0', ALERTS_MAX_RECEIVES: '0' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    for (const name of ['SMTP_URL', 'MAIL_FROM', 'TOKEN_SECRET', 'ALERTS_QUEUE_NAME', 'ALERTS_TICK', 'ALERTS_MAX_RECEIVES']) expect(problems.join('\n')).toContain(name);
    expect(problems.join('\n')).not.toContain('hunter2');
  });
});
