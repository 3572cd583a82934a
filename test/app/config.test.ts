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
});
