// Pieces shared by the member portal and the secretariat pages: the page frame, forms that post with
// their CSRF token, feed status in words and colour, dates, notices and error summaries.
import type { FeedStatus } from '../../model.ts';
import type { HttpResponse } from '../../http/types.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { html, raw, type SafeHtml } from '../html.ts';
import type { Language, Translate } from '../../i18n/index.ts';
import { renderPage, type PageInput } from '../layout.ts';
import { htmlResponse } from '../respond.ts';
// The portal's and the secretariat's messages (loaded with the signed-in pages only).
import '../../i18n/portal.ts';

/** What every page of the portal needs from its request. */
export interface View {
  lang: Language;
  t: Translate;
  csrf: string;
  /** The request's path and query, for the language switch. */
  path: string;
  /** Who is signed in, for the header: a member's acronym or name, or the secretariat. */
  signedIn?: { label: string; admin: boolean };
}

export interface PageSpec {
  title: string;
  main: SafeHtml;
  nav: 'portal' | 'admin';
  status?: number;
  headers?: Record<string, string>;
}

export function pageResponse(v: View, spec: PageSpec): HttpResponse {
  const input: PageInput = {
    lang: v.lang,
    t: v.t,
    title: spec.title,
    main: spec.main,
    nav: spec.nav,
    csrfToken: v.csrf,
    path: v.path,
    ...(v.signedIn && { signedIn: v.signedIn.label, admin: v.signedIn.admin }),
  };
  return htmlResponse(spec.status ?? 200, renderPage(input), spec.headers);
}

export const csrfField = (v: View): SafeHtml => html`<input type="hidden" name="csrf" value="${v.csrf}">`;

/** A one-button form: every change is a POST, so it works without script and carries the CSRF token. */
export function postButton(v: View, action: string, label: string | SafeHtml, options: { secondary?: boolean; hidden?: Record<string, string>; describedBy?: string } = {}): SafeHtml {
  const hidden = Object.entries(options.hidden ?? {}).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  const described = options.describedBy ? html` aria-describedby="${options.describedBy}"` : '';
  return html`<form method="post" action="${action}" class="inline-form">${csrfField(v)}${hidden}<button type="submit"${options.secondary ? raw(' class="secondary"') : ''}${described}>${label}</button></form>`;
}

const STATUS_CLASS: Record<FeedStatus, string> = { ok: 'ok', not_modified: 'ok', error: 'error', pending: 'pending', paused: 'paused', dead: 'dead' };

/** The status in words, coloured; never colour alone. */
export function statusBadge(v: View, status: FeedStatus): SafeHtml {
  return html`<span class="status status-${STATUS_CLASS[status]}">${v.t(`portal.status.${status}`)}</span>`;
}

export function when(v: View, iso: string | undefined | null): SafeHtml {
  const text = iso ? formatDateTime(iso, v.lang) : undefined;
  return text ? html`<time datetime="${iso!}">${text}</time>` : html`<span class="muted">${v.t('portal.never')}</span>`;
}

export function notice(text: string | undefined): SafeHtml | '' {
  return text ? html`<div class="notice" role="status"><p>${text}</p></div>` : '';
}

/** An error summary that takes focus's place for screen readers (role=alert) and names each problem. */
export function errorSummary(title: string, problems: string[]): SafeHtml {
  return html`<div class="error-summary" role="alert"><h2>${title}</h2>${problems.length === 1 ? html`<p>${problems[0]}</p>` : html`<ul>${problems.map((p) => html`<li>${p}</li>`)}</ul>`}</div>`;
}

/** A label for one of several like buttons: the visible words, and what it applies to for screen readers. */
export function labelFor(words: string, subject: string): SafeHtml {
  return html`${words}<span class="visually-hidden">: ${subject}</span>`;
}

/** A new secret shown once: selectable, with the warning next to it. */
export function shownOnce(v: View, label: string, secret: string): SafeHtml {
  return html`<div class="shown-once">
<p><strong>${label}</strong></p>
<p><code class="secret">${secret}</code></p>
<p>${v.t('portal.key.once')}</p>
</div>`;
}

/** A field with its label and optional hint, tied together for assistive technology. */
export function textInput(o: { id: string; name: string; label: string; value?: string; hint?: string; type?: string; required?: boolean; autocomplete?: string; invalid?: boolean }): SafeHtml {
  const hintId = o.hint ? `${o.id}-hint` : '';
  return html`<div class="field"><label for="${o.id}">${o.label}</label>${o.hint ? html`<span class="hint" id="${hintId}">${o.hint}</span>` : ''}<input type="${o.type ?? 'text'}" id="${o.id}" name="${o.name}" value="${o.value ?? ''}"${o.required ? raw(' required') : ''}${
    o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''
  }${hintId ? html` aria-describedby="${hintId}"` : ''}${o.invalid ? raw(' aria-invalid="true"') : ''}></div>`;
}
