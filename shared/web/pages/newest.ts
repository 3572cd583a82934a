// A feed's newest publication as the directory and the portal show it: the publication's own date,
// and when the hub first saw it where that tells something (a different day: an old item found
// later, or an undated one). Never the hub's own poll times, which would make a feed untouched for
// years look active today.
import { formatDay } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import type { Language, Translate } from '../i18n/index.ts';
import type { NewestPublication } from '../publication-index.ts';

const day = (iso: string, lang: Language): SafeHtml => html`<time datetime="${iso.slice(0, 10)}">${formatDay(iso, lang) ?? iso.slice(0, 10)}</time>`;

export function newestPublication(newest: NewestPublication | undefined, lang: Language, t: Translate, layout: 'stacked' | 'inline' = 'stacked'): SafeHtml {
  if (!newest) return html`<span class="muted">${t('directory.newest.none')}</span>`;
  const seen = html`${t('directory.newest.firstSeen')} ${day(newest.firstSeen, lang)}`;
  const note = (words: SafeHtml) => (layout === 'stacked' ? html`<br><span class="muted">${words}</span>` : html` <span class="muted">(${words})</span>`);
  if (!newest.published) return html`${t('directory.newest.undated')}${note(seen)}`;
  const sameDay = newest.published.slice(0, 10) === newest.firstSeen.slice(0, 10);
  return html`${day(newest.published, lang)}${sameDay ? '' : note(seen)}`;
}
