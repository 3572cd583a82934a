// The public pages as rendered HTML: everything from feeds is escaped (titles, links, categories,
// member names) except the core's sanitised summaries; nothing inline that the Content-Security-Policy
// would block; the shell's landmarks, language switch and feed links.
import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import type { Feed, Member, Publication } from '../../shared/model.ts';
import type { Subscription } from '../../shared/ports/subscriptions.ts';
import { translator } from '../../shared/i18n/index.ts';
import { html } from '../../shared/web/html.ts';
import { renderPage } from '../../shared/web/layout.ts';
import { directoryMain } from '../../shared/web/pages/directory.ts';
import { latestMain, summaryMarkup } from '../../shared/web/pages/latest.ts';
import { subscribeMain } from '../../shared/web/pages/subscribe-form.ts';
import { buildSnapshot, queryPage } from '../../shared/app/publication-index.ts';
import { samplePublication } from '../helpers/publications.ts';

const HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
const t = translator('en');

const member = (id: string, over: Partial<Member> = {}): Member => ({ id, name: `${id} name`, acronym: id.toUpperCase(), candidateFeeds: [], createdAt: '2026-01-01T00:00:00Z', active: true, ...over });

function hostilePublication(): Publication {
  return {
    ...samplePublication(0, new Date('2026-11-02T09:00:00Z')),
    title: `Report ${HOSTILE}`,
    link: 'javascript:alert(3)',
    summary: '<p>Clean <strong>summary</strong> <a href="https://example.org/x"></a></p><h2>Heading</h2>',
    categories: [`Research${HOSTILE}`],
    language: 'en" onmouseover="alert(4)',
    members: ['evil'],
    enclosures: [{ url: 'javascript:alert(5)//x.pdf', type: 'application/pdf' }, { url: 'https://example.org/files/r%C3%A9sum%C3%A9.pdf', type: 'application/pdf', length: 1_234_567 }],
  };
}

interface Element {
  name: string;
  attribs: Record<string, string>;
}

/** Every element of a document or fragment, as a browser's tokenizer would see it. */
function elements(markup: string): Element[] {
  const out: Element[] = [];
  const parser = new Parser({ onopentag: (name, attribs) => out.push({ name, attribs }) }, { decodeEntities: true });
  parser.write(markup);
  parser.end();
  return out;
}

/** No markup an attacker chose survives: no element, handler or script URL from HOSTILE. */
function expectInert(out: string): void {
  const els = elements(out);
  expect(els.filter((e) => e.name === 'img')).toEqual([]);
  expect(els.filter((e) => e.name === 'script' && !e.attribs.src)).toEqual([]);
  expect(els.filter((e) => Object.keys(e.attribs).some((a) => a.startsWith('on')))).toEqual([]);
  expect(els.filter((e) => /^\s*javascript:/i.test(e.attribs.href ?? ''))).toEqual([]);
}

/** What the Content-Security-Policy would block: inline scripts, inline styles, event handlers. */
function expectCspClean(out: string): void {
  const els = elements(out);
  expect(els.filter((e) => (e.name === 'script' && !e.attribs.src) || e.name === 'style' || 'style' in e.attribs)).toEqual([]);
  expect(els.filter((e) => Object.keys(e.attribs).some((a) => a.startsWith('on')))).toEqual([]);
}

describe('latest publications page', () => {
  const pub = hostilePublication();
  const snapshot = buildSnapshot([pub], 0);
  const main = latestMain({
    lang: 'en',
    t,
    filters: { q: HOSTILE.slice(0, 50) },
    problems: [],
    result: queryPage(snapshot, {}, 1, 20),
    members: [member('evil', { acronym: `<b>EVIL</b>`, name: HOSTILE })],
    categories: snapshot.categories,
    languages: snapshot.languages,
  }).value;

  it('escapes titles, categories, member names and the search box, and links only http(s)', () => {
    expectInert(main);
    expect(main).toContain('Report &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(main).toContain('&lt;b&gt;EVIL&lt;/b&gt;');
    expect(main).toContain('value="&quot;&gt;&lt;script&gt;');
    // The invalid language tag is not used as a lang attribute at all.
    expect(main).not.toContain('lang="en&quot;');
  });

  it('keeps the sanitised summary as HTML, demoting its headings and dropping empty links', () => {
    expect(main).toContain('<p>Clean <strong>summary</strong> </p><p><strong>Heading</strong></p>');
    expect(summaryMarkup({ ...pub, summary: 'x'.repeat(2000), text: `${'word '.repeat(100)}end` })!.value).toMatch(/^<p>(word ){60,}word…<\/p>$/);
  });

  it('links PDFs with their file name and size, never a script URL', () => {
    expect(main).toContain('<a href="https://example.org/files/r%C3%A9sum%C3%A9.pdf" type="application/pdf">PDF: résumé.pdf</a> (1.2 MB)');
    expect(main.match(/PDF: /g)).toHaveLength(1);
  });

  it('offers the feeds of the current view', () => {
    expect(main).toContain('href="/feeds/all.rss?q=%22%3E%3Cscript%3Ealert');
    expect(main).toContain('Follow exactly this selection:');
  });
});

describe('page shell', () => {
  const page = renderPage({
    lang: 'fr',
    t: translator('fr'),
    title: `</title>${HOSTILE}`,
    main: html`<h1>Titre</h1>`,
    nav: 'directory',
    alternates: [{ type: 'application/rss+xml', title: `Feed ${HOSTILE}`, href: '/feeds/all.rss?q="x"' }],
    csrfToken: 'tok"en',
    signedIn: '<i>UNODC</i>',
    path: '/directory?x="y"',
  });

  it('escapes every value it is given and declares the language', () => {
    expectInert(page);
    expect(page).toContain('<html lang="fr" dir="ltr">');
    expect(page).toContain('<title>&lt;/title&gt;&quot;&gt;&lt;script&gt;');
    expect(page).toContain('<link rel="alternate" type="application/rss+xml" title="Feed &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" href="/feeds/all.rss?q=&quot;x&quot;">');
    expect(page).toContain('<meta name="csrf-token" content="tok&quot;en">');
    expect(page).toContain('Connecté : &lt;i&gt;UNODC&lt;/i&gt;');
  });

  it('has a skip link, landmarks, the current section and a language switch back to this page', () => {
    expect(page).toMatch(/<a class="skip-link" href="#main">Aller au contenu principal<\/a>/);
    expect(page).toContain('<main id="main"');
    expect(page).toContain('<a href="/directory" aria-current="page">Répertoire des flux</a>');
    expect(page).toContain('<a href="/language?lang=en&amp;back=%2Fdirectory%3Fx%3D%22y%22" lang="en" hreflang="en">English</a>');
    expect(page).toContain('<span lang="fr" aria-current="true">Français</span>');
    expect(page).not.toContain('href="/admin"');
    expect(renderPage({ lang: 'en', t, title: 'x', main: html``, admin: true })).toContain('<a href="/admin">Secretariat</a>');
  });

  it('loads its style and script from this origin only, versioned, with nothing inline', () => {
    expect(page).toMatch(/<link rel="stylesheet" href="\/assets\/site\.css\?v=[\w-]{10}">/);
    expect(page).toMatch(/<script src="\/assets\/enhance\.js\?v=[\w-]{10}" defer><\/script>/);
    expectCspClean(page);
  });
});

describe('directory and subscribe pages', () => {
  const feed = (over: Partial<Feed>): Feed => ({ id: 'f1', memberId: 'unodc', url: 'https://www.unodc.org/feed.xml', status: 'ok', createdAt: '2026-01-01T00:00:00Z', consecutiveErrors: 0, nextPollAt: '2026-01-01T00:00:00Z', itemsSeen: 3, ...over });

  it('shows each public feed with its status in words and colour, and hides removed and pending ones', () => {
    const out = directoryMain({
      lang: 'en',
      t,
      members: [member('unodc'), member('iom'), member('ilo')],
      feeds: [
        feed({ title: `News ${HOSTILE}`, lastSuccessAt: '2026-11-02T09:14:00Z' }),
        feed({ id: 'f2', url: 'javascript:alert(1)', status: 'dead', errorsSince: '2026-10-01T00:00:00Z' }),
        feed({ id: 'f3', memberId: 'iom', url: 'https://iom.int/pending.xml', status: 'pending' }),
        feed({ id: 'f4', memberId: 'iom', url: 'https://iom.int/gone.xml', removed: true }),
      ],
      publicationCounts: new Map([['unodc', 12]]),
      newestByFeed: new Map(),
    }).value;
    expectInert(out);
    expectCspClean(out);
    expect(out).toContain('<span class="status status-ok">Working</span>');
    expect(out).toContain('<span class="status status-dead">Not responding</span><br><span class="muted">since 1 October 2026</span>');
    expect(out).toContain('2 Nov 2026, 09:14 UTC');
    expect(out).not.toContain('pending.xml');
    expect(out).not.toContain('gone.xml');
    expect(out).toContain('Publications (12)');
    expect(out).toMatch(/Members without a feed yet<\/h2><p><abbr title="ilo name">ILO<\/abbr>, <abbr title="iom name">IOM<\/abbr><\/p>/);
  });

  it('dates each feed by its newest publication\'s own date, not by when the hub found it', () => {
    const out = directoryMain({
      lang: 'en',
      t,
      members: [member('unodc')],
      feeds: [
        // Untouched since 2020, registered today: the hub found its items today.
        feed({ id: 'old', title: 'Archive', lastSuccessAt: '2026-12-07T09:00:00Z', lastNewItemAt: '2026-12-07T09:00:00Z' }),
        feed({ id: 'fresh', title: 'News', lastNewItemAt: '2026-12-06T10:00:00Z' }),
        feed({ id: 'undated', title: 'Undated' }),
        feed({ id: 'empty', title: 'Empty' }),
      ],
      publicationCounts: new Map(),
      newestByFeed: new Map([
        ['old', { published: '2020-03-12T08:00:00.000Z', firstSeen: '2026-12-07T09:00:00.000Z' }],
        ['fresh', { published: '2026-12-06T09:00:00.000Z', firstSeen: '2026-12-06T10:00:00.000Z' }],
        ['undated', { firstSeen: '2026-11-30T10:00:00.000Z' }],
      ]),
    }).value;
    const row = (title: string) => new RegExp(`<td class="url">${title}<br>[\\s\\S]*?</tr>`).exec(out)![0];
    expect(row('Archive')).toContain('<td><time datetime="2020-03-12">12 March 2020</time> <span class="muted">(first seen on <time datetime="2026-12-07">7 December 2026</time>)</span></td>');
    expect(row('News')).toContain('<td><time datetime="2026-12-06">6 December 2026</time></td>');
    expect(row('Undated')).toContain('<td>No date given <span class="muted">(first seen on <time datetime="2026-11-30">30 November 2026</time>)</span></td>');
    expect(row('Empty')).toContain('<td><span class="muted">None yet</span></td>');
    expect(out).toContain('<th scope="col">Newest publication</th>');
  });

  it('writes the subscribe form with its CSRF field, labels for every control and errors tied to their fields', () => {
    const out = subscribeMain({
      lang: 'es',
      t: translator('es'),
      members: [member('unodc')],
      values: { email: HOSTILE, frequency: 'weekly', filters: { members: ['unodc'], categories: [HOSTILE], languages: ['fr', 'pt'], keywords: [] } },
      errors: { email: 'mal' },
      csrf: 'abc',
    }).value;
    expectInert(out);
    expectCspClean(out);
    expect(out).toContain('<input type="hidden" name="csrf" value="abc">');
    expect(out).toContain('id="email" name="email" value="&quot;&gt;&lt;script&gt;');
    expect(out).toContain('aria-describedby="email-hint email-error" aria-invalid="true"');
    expect(out).toContain('<input type="radio" id="frequency-weekly" name="frequency" value="weekly" checked>');
    expect(out).toContain('<input type="checkbox" id="language-fr" name="languages" value="fr" checked> <label for="language-fr">francés</label>');
    expect(out).toContain('<input type="hidden" name="languages" value="pt">');
    for (const id of out.matchAll(/<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\sid="([^"]+)"/g)) expect(out).toContain(`for="${id[1]}"`);
  });
});

describe('members offered for alerts', () => {
  it('offers the same members on the subscribe and manage pages: joined ones, and any already chosen', async () => {
    const { manageFormPage } = await import('../../shared/web/pages/subscription.ts');
    const all = [member('unodc'), member('iom'), member('ilo', { active: false }), member('wfp', { active: false })];
    const boxes = (text: string) => [...text.matchAll(/id="member-([\w-]+)"/g)].map((m) => m[1]).sort();
    const subscribe = subscribeMain({ lang: 'en', t, members: all, values: { filters: { members: [], categories: [], languages: [], keywords: [] } }, errors: {}, csrf: 'x' }).value;
    const sub = (chosen: string[]): Subscription => ({ id: 's', email: 'a@example.org', status: 'active', filters: { members: chosen, categories: [], languages: [], keywords: [] }, frequency: 'daily', gen: 'g', createdAt: '', updatedAt: '', recentAlerts: [], rev: 1 });
    const manage = String(manageFormPage({ sub: sub([]), members: all, token: 't', unsubscribeUrl: 'https://hub.example/u' }).body);
    expect(boxes(subscribe)).toEqual(['iom', 'unodc']);
    expect(boxes(manage)).toEqual(boxes(subscribe));
    const chosen = String(manageFormPage({ sub: sub(['wfp']), members: all, token: 't', unsubscribeUrl: 'https://hub.example/u' }).body);
    expect(boxes(chosen)).toEqual(['iom', 'unodc', 'wfp']);
  });
});
