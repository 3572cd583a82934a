// The latest publications (/): newest first, filters, one page of 20, and the feeds of this very view.
import { safeHttpUrl } from '../html.ts';
import type { Member, Publication } from '../../model.ts';
import { formatBytes, formatDay, formatNumber, languageName } from '../../i18n/format.ts';
import { html, raw, type SafeHtml } from '../html.ts';
import { isMessageKey, type Language, type Translate } from '../../i18n/index.ts';
import type { Alternate } from '../layout.ts';
import { filterQuery, hasFilters, type FilterName, type FilterProblem, type PublicationFilters } from '../../app/publication-filters.ts';
import type { ResultPage } from '../../app/publication-index.ts';

export const PAGE_SIZE = 20;
/** Longer sanitised summaries are shown as a short text instead, to keep the page light. */
const SUMMARY_HTML_LIMIT = 1_500;
const SUMMARY_TEXT_LIMIT = 320;
const FEEDS = [
  ['rss', 'RSS', 'application/rss+xml'],
  ['atom', 'Atom', 'application/atom+xml'],
  ['json', 'JSON Feed', 'application/feed+json'],
] as const;

export interface LatestView {
  lang: Language;
  t: Translate;
  filters: PublicationFilters;
  problems: FilterProblem[];
  result: ResultPage;
  members: Member[];
  categories: readonly { name: string; count: number }[];
  languages: readonly string[];
}

const LANG_TAG = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i;

/**
 * Summaries are sanitised by the core; on this page their headings become paragraphs (the entry's
 * title is the heading) and links left without text are dropped (nothing to read out).
 */
export function summaryMarkup(pub: Publication): SafeHtml | undefined {
  if (pub.summary && pub.summary.length <= SUMMARY_HTML_LIMIT) {
    return raw(
      pub.summary
        .replace(/<h[2-6]>/g, '<p><strong>')
        .replace(/<\/h[2-6]>/g, '</strong></p>')
        .replace(/<a href="[^"]*"(?: title="[^"]*")?>\s*<\/a>/g, ''),
    );
  }
  const text = pub.text?.trim();
  if (!text) return undefined;
  const cut = text.length > SUMMARY_TEXT_LIMIT ? `${text.slice(0, SUMMARY_TEXT_LIMIT).replace(/\s+\S*$/, '')}…` : text;
  return html`<p>${cut}</p>`;
}

/**
 * The file's name as a reader would write it ("Report 2026.pdf"). The URL comes from a member's feed:
 * a malformed escape (`report%zz.pdf`) is shown as sent rather than taking the page down.
 */
export function fileName(url: string): string {
  const last = new URL(url).pathname.split('/').pop() ?? '';
  try {
    return decodeURIComponent(last) || 'PDF';
  } catch {
    return last || 'PDF';
  }
}

function pdfLinks(pub: Publication, v: LatestView): SafeHtml | '' {
  const pdfs = pub.enclosures.filter((e) => e.type === 'application/pdf' || /\.pdf(?:$|[?#])/i.test(e.url));
  const links = pdfs.flatMap((e) => {
    const url = safeHttpUrl(e.url);
    if (!url) return [];
    let name = fileName(url);
    if (name.length > 60) name = `${name.slice(0, 57)}…`;
    const size = formatBytes(e.length, v.lang);
    return [html`<li><a href="${url}" type="application/pdf">${v.t('latest.pdf', { name })}</a>${size ? ` (${size})` : ''}</li>`];
  });
  return links.length ? html`<ul class="pdfs">${links}</ul>` : '';
}

function entry(pub: Publication, v: LatestView, names: Map<string, string>): SafeHtml {
  const { t } = v;
  const lang = pub.language && LANG_TAG.test(pub.language) ? pub.language : undefined;
  const langAttr = lang ? html` lang="${lang}"` : '';
  const link = safeHttpUrl(pub.link);
  const title = link ? html`<a href="${link}">${pub.title || t('latest.untitled')}</a>` : html`${pub.title || t('latest.untitled')}`;
  const members = pub.members.map((id, i) => html`${i > 0 ? ', ' : ''}<a href="${`/?${filterQuery({ member: id })}`}">${names.get(id) ?? id}</a>`);
  const day = formatDay(pub.sortDate, v.lang);
  const summary = summaryMarkup(pub);
  const tags = pub.categories.slice(0, 8).map((c) => html`<li><a class="tag" href="${`/?${filterQuery({ category: c })}`}">${c}</a></li>`);
  return html`<li class="entry"><article>
<h2${langAttr}>${title}</h2>
<p class="meta">${t('latest.by')} ${members}${day ? html` · <time datetime="${pub.sortDate.slice(0, 10)}">${day}</time>` : ''}${lang && lang.slice(0, 2) !== v.lang ? ` · ${languageName(lang, v.lang)}` : ''}</p>
${summary ? html`<div class="summary"${langAttr}>${summary}</div>` : ''}
${tags.length ? html`<ul class="tags" aria-label="${t('latest.categories')}">${tags}</ul>` : ''}
${pdfLinks(pub, v)}
</article></li>`;
}

const PROBLEM_FIELDS: Record<FilterName, string> = { q: 'f-q', member: 'f-member', category: 'f-category', language: 'f-language', from: 'f-from', to: 'f-to' };

function problemText(p: FilterProblem, t: Translate): string {
  const key = `latest.problem.${p.code}`;
  const field = t(`latest.filter.${p.field}`);
  return isMessageKey(key) ? t(key, { field }) : `${field}: ${p.code}`;
}

function filterForm(v: LatestView, members: Member[]): SafeHtml {
  const { t, filters } = v;
  const problem = (field: FilterName) => v.problems.find((p) => p.field === field);
  const invalid = (field: FilterName) => (problem(field) ? html` aria-invalid="true" aria-describedby="${`${PROBLEM_FIELDS[field]}-error`}"` : '');
  const error = (field: FilterName) => {
    const p = problem(field);
    return p ? html`<span class="field-error" id="${`${PROBLEM_FIELDS[field]}-error`}">${problemText(p, t)}</span>` : '';
  };
  const option = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? raw(' selected') : ''}>${label}</option>`;
  const langs = [...new Set(['en', 'fr', 'es', ...v.languages.map((l) => l.split('-')[0]!)])];
  return html`<form class="filters" method="get" action="/" role="search" aria-label="${t('latest.filters')}">
<div class="grid">
<div class="field"><label for="f-q">${t('latest.filter.q')}</label>${error('q')}<input type="search" id="f-q" name="q" value="${filters.q ?? ''}" maxlength="200"${invalid('q')}></div>
<div class="field"><label for="f-member">${t('latest.filter.member')}</label>${error('member')}<select id="f-member" name="member"${invalid('member')}>
${option('', t('latest.filter.anyMember'), !filters.member)}${members.map((m) => option(m.id, m.acronym ?? m.name, filters.member === m.id))}
</select></div>
<div class="field"><label for="f-category">${t('latest.filter.category')}</label>${error('category')}<input type="text" id="f-category" name="category" value="${filters.category ?? ''}" list="f-category-list" maxlength="100"${invalid('category')}>
<datalist id="f-category-list">${v.categories.slice(0, 40).map((c) => html`<option value="${c.name}"></option>`)}</datalist></div>
<div class="field"><label for="f-language">${t('latest.filter.language')}</label>${error('language')}<select id="f-language" name="language"${invalid('language')}>
${option('', t('latest.filter.anyLanguage'), !filters.language)}${langs.map((l) => option(l, languageName(l, v.lang), filters.language === l))}
</select></div>
<div class="field"><label for="f-from">${t('latest.filter.from')}</label>${error('from')}<input type="date" id="f-from" name="from" value="${filters.from ?? ''}"${invalid('from')}></div>
<div class="field"><label for="f-to">${t('latest.filter.to')}</label>${error('to')}<input type="date" id="f-to" name="to" value="${filters.to ?? ''}"${invalid('to')}></div>
</div>
<div class="actions"><button type="submit">${t('latest.filter.apply')}</button>${hasFilters(filters) ? html` <a href="/">${t('latest.filter.clear')}</a>` : ''}</div>
</form>`;
}

/** The feed links of this view, for the page body and for <link rel="alternate">. */
export function viewFeeds(filters: PublicationFilters, t: Translate): { alternates: Alternate[]; links: { href: string; label: string }[] } {
  const query = filterQuery(filters);
  const links = FEEDS.map(([ext, label, type]) => ({ href: `/feeds/all.${ext}${query ? `?${query}` : ''}`, label, type }));
  const title = hasFilters(filters) ? t('latest.feed.filtered') : t('latest.feed.all');
  return { links, alternates: links.map((l) => ({ type: l.type, href: l.href, title: `${title} (${l.label})` })) };
}

function pagination(v: LatestView): SafeHtml | '' {
  const { page, pages } = v.result;
  if (pages <= 1) return '';
  const href = (p: number) => `/?${filterQuery(v.filters, { page: p > 1 ? p : undefined })}`.replace(/\?$/, '');
  return html`<nav class="pagination" aria-label="${v.t('latest.pages')}"><ul>
${page > 1 ? html`<li><a rel="prev" href="${href(page - 1)}">${v.t('latest.previous')}</a></li>` : ''}
<li>${v.t('latest.pageOf', { page: formatNumber(page, v.lang), pages: formatNumber(pages, v.lang) })}</li>
${page < pages ? html`<li><a rel="next" href="${href(page + 1)}">${v.t('latest.next')}</a></li>` : ''}
</ul></nav>`;
}

export function latestMain(v: LatestView): SafeHtml {
  const { t, result } = v;
  const members = [...v.members].sort((a, b) => (a.acronym ?? a.name).localeCompare(b.acronym ?? b.name));
  const names = new Map(members.map((m) => [m.id, m.acronym ?? m.name]));
  const first = (result.page - 1) * PAGE_SIZE + 1;
  const count =
    result.total === 0
      ? t('latest.none')
      : t('latest.showing', { first: formatNumber(first, v.lang), last: formatNumber(first + result.items.length - 1, v.lang), total: formatNumber(result.total, v.lang) });
  const feeds = viewFeeds(v.filters, t);
  const problems = v.problems.length
    ? html`<div class="error-summary" role="alert"><h2>${t('latest.problems')}</h2><ul>${v.problems.map((p) => html`<li><a href="${`#${PROBLEM_FIELDS[p.field]}`}">${problemText(p, t)}</a></li>`)}</ul></div>`
    : '';
  return html`<h1>${t('latest.title')}</h1>
<p class="lead">${t('latest.lead')}</p>
${problems}
${filterForm(v, members)}
${v.problems.length ? html`<p><a href="/">${t('latest.filter.clear')}</a></p>` : results(v, names, count, feeds.links)}`;
}

/**
 * The list and what it says about itself. Not shown when a filter could not be used: nothing was
 * looked up, so "no publications" would claim an empty hub.
 */
function results(v: LatestView, names: Map<string, string>, count: string, links: { href: string; label: string }[]): SafeHtml {
  const { t, result } = v;
  return html`<div class="results-bar">
<p>${count}</p>
<div><span id="view-feeds">${hasFilters(v.filters) ? t('latest.feeds.filtered') : t('latest.feeds.all')}</span>
<ul class="feed-links" aria-labelledby="view-feeds">${links.map((l) => html`<li><a href="${l.href}" data-copy-label="${t('latest.copy')}" data-copied="${t('latest.copied')}">${l.label}</a></li>`)}</ul></div>
</div>
${result.items.length ? html`<ol class="entries">${result.items.map((p) => entry(p, v, names))}</ol>` : html`<p>${hasFilters(v.filters) ? html`${t('latest.emptyFiltered')} <a href="/">${t('latest.filter.clear')}</a>` : t('latest.empty')}</p>`}
${pagination(v)}`;
}
