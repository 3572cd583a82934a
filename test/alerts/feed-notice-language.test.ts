// Notices about a member's feeds are written in the member's language (English when it has none).
import { describe, expect, it } from 'vitest';
import { feedNotice } from '../../shared/app/feed-notices.ts';
import type { Feed } from '../../shared/model.ts';

const feed = {
  id: 'f1', memberId: 'iom', url: 'https://iom.example/rss.xml', title: 'News', status: 'dead', createdAt: '2026-10-01T00:00:00.000Z',
  consecutiveErrors: 12, errorsSince: '2026-11-02T09:00:00.000Z', lastError: { code: 'http_status', status: 404, message: 'HTTP 404', at: '2026-11-05T09:00:00.000Z' },
} as unknown as Feed;

describe('feed notices', () => {
  it('writes the notice in the member’s language, with its dates', () => {
    const fr = feedNotice({ publicUrl: 'https://hub.example' }, feed, 'dead', 'OIM', 'fr');
    expect(fr.subject).toBe('[ICAT hub] Votre flux "News" ne fonctionne plus');
    expect(fr.text).toContain('Bonjour OIM,');
    expect(fr.text).toContain('12 fois de suite (depuis le 2 novembre 2026)');
    expect(fr.text).toContain('Que faire : L’adresse ne sert plus de flux');
    const es = feedNotice({ publicUrl: 'https://hub.example' }, feed, 'recovered', 'OIM', 'es');
    expect(es.subject).toBe('[ICAT hub] Su fuente "News" vuelve a funcionar');
  });

  it('stays in English by default', () => {
    const en = feedNotice({ publicUrl: 'https://hub.example' }, feed, 'dead', 'IOM');
    expect(en.subject).toBe('[ICAT hub] Your feed "News" has stopped working');
    expect(en.text).toContain('12 times in a row (since 2 November 2026)');
  });
});
