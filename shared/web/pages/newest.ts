// A feed's newest publication as the directory and the portal show it: the publication's own date,
// and when the hub first saw it where that tells something (a different day: an old item found
// later, or an undated one). Never the hub's own poll times, which would make a feed untouched for
// years look active today.
import { formatDay } from '../../i18n/format.ts';
import { html, type SafeHtml } from '../html.ts';
import type { Language, Translate } from '../../i18n/index.ts';
import type { NewestPublication } from '../../app/publication-index.ts';

const day = (iso: string, lang: Language): SafeHtml => html`<time datetime="${iso.slice(0, 10)}">${formatDay(iso, lang)}</time>`;

export function newestPublication(newest: NewestPublication | undefined, lang: Language, t: Translate): SafeHtml {
  if (!newest) return html`<span class="muted">${t('directory.unknown')}</span>`;
  const { published, firstSeen } = newest;
  const own = published ? day(published, lang) : t('directory.undated');
  const seen = published?.slice(0, 10) === firstSeen.slice(0, 10) ? '' : html` <span class="muted">(${t('directory.firstSeen')} ${day(firstSeen, lang)})</span>`;
  return html`${own}${seen}`;
}
