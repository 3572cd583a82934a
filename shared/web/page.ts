// What a public page needs from its request (language, its own address for the language switch) and
// the shell around its content.
import type { HttpRequest } from '../http/types.ts';
import type { Language, Translate } from '../i18n/index.ts';
import { renderPage, type PageInput } from './layout.ts';
import { pageLanguage } from './respond.ts';

export interface Page {
  lang: Language;
  t: Translate;
  path: string;
}

export function pageOf(req: HttpRequest): Page {
  const q = req.query.toString();
  return { ...pageLanguage(req), path: `${req.path}${q ? `?${q}` : ''}` };
}

export const render = (p: Page, input: Omit<PageInput, 'lang' | 't' | 'path'>) => renderPage({ lang: p.lang, t: p.t, path: p.path, ...input });
