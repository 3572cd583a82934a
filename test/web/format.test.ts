// Dates, numbers and file sizes as each language writes them (French "Mo", "2 novembre 2026").
import { describe, expect, it } from 'vitest';
import { formatBytes, formatDay, formatNumber } from '../../shared/i18n/format.ts';

describe('formatBytes', () => {
  it('writes sizes with the units of the language', () => {
    expect(formatBytes(1_234_567, 'en')).toBe('1.2 MB');
    expect(formatBytes(12_000, 'en')).toBe('12 kB');
    expect(formatBytes(1_234_567, 'fr')).toBe('1,2\u202fMo');
    expect(formatBytes(12_000, 'fr')).toBe('12\u202fko');
    expect(formatBytes(1_234_567, 'es')).toBe('1,2 MB');
    expect(formatBytes(500, 'en')).toBe('500 bytes');
    expect(formatBytes(500, 'fr')).toBe('500\u00a0octets');
    expect(formatBytes(0, 'fr')).toBeUndefined();
  });
});

describe('dates and numbers', () => {
  it('writes them as each language does', () => {
    expect(formatDay('2026-11-02T09:00:00Z', 'en')).toBe('2 November 2026');
    expect(formatDay('2026-11-02T09:00:00Z', 'fr')).toBe('2 novembre 2026');
    expect(formatDay('2026-11-02T09:00:00Z', 'es')).toBe('2 de noviembre de 2026');
    expect(formatNumber(12345, 'fr')).toBe('12\u202f345');
  });
});
