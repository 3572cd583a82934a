// The pages behind the links in alert mails: confirm, manage, unsubscribe.
import { describeFilters } from '../../alerts/filters.ts';
import type { Member } from '../../model.ts';
import type { Subscription } from '../../ports/subscriptions.ts';
import type { HttpResponse } from '../types.ts';
import { escapeHtml, page, paragraph } from './layout.ts';

const FREQUENCY_TEXT = { instant: 'as soon as they appear', daily: 'once a day, at 07:00 UTC', weekly: 'once a week, on Mondays at 07:00 UTC' } as const;

function choiceList(sub: Subscription, label: (id: string) => string): string {
  const lines = [`Frequency: ${sub.frequency}, ${FREQUENCY_TEXT[sub.frequency]}`, ...describeFilters(sub.filters, label)];
  return `<ul>\n${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('\n')}\n</ul>`;
}

export function confirmedPage(outcome: 'confirmed' | 'already_active' | 'superseded', sub: Subscription, label: (id: string) => string, manageUrl: string): HttpResponse {
  if (outcome === 'superseded') {
    return page(200, 'This link has been replaced', paragraph('A newer confirmation e-mail was sent to this address. Use the link in that one.'));
  }
  const title = outcome === 'confirmed' ? 'Your alerts are confirmed' : 'Your alerts were already confirmed';
  return page(200, title, [
    paragraph('You will receive e-mails about new publications of the ICAT member organisations:'),
    choiceList(sub, label),
    `<p><a href="${escapeHtml(manageUrl)}">Change what you receive</a></p>`,
  ].join('\n'));
}

export interface ManageView {
  sub: Subscription;
  members: Member[];
  token: string;
  unsubscribeUrl: string;
  notice?: string;
  problems?: string[];
  status?: number;
}

export function manageFormPage(v: ManageView): HttpResponse {
  const f = v.sub.filters;
  const radios = (['instant', 'daily', 'weekly'] as const)
    .map((fr) => `<div><input type="radio" id="frequency-${fr}" name="frequency" value="${fr}"${v.sub.frequency === fr ? ' checked' : ''}> <label for="frequency-${fr}">${escapeHtml(`${fr[0]!.toUpperCase()}${fr.slice(1)}: ${FREQUENCY_TEXT[fr]}`)}</label></div>`)
    .join('\n');
  const boxes = [...v.members]
    .sort((a, b) => (a.acronym ?? a.name).localeCompare(b.acronym ?? b.name))
    .map((m) => `<div><input type="checkbox" id="member-${escapeHtml(m.id)}" name="members" value="${escapeHtml(m.id)}"${f.members.includes(m.id) ? ' checked' : ''}> <label for="member-${escapeHtml(m.id)}">${escapeHtml(m.acronym && m.acronym !== m.name ? `${m.acronym}: ${m.name}` : m.name)}</label></div>`)
    .join('\n');
  const text = (name: 'categories' | 'languages' | 'keywords', label: string, hint: string) =>
    `<p><label for="${name}">${escapeHtml(label)}</label><br>\n<input type="text" id="${name}" name="${name}" value="${escapeHtml(f[name].join(', '))}" aria-describedby="${name}-hint" size="60"><br>\n<small id="${name}-hint">${escapeHtml(hint)}</small></p>`;
  const status = v.sub.status === 'suspended' ? paragraph('Mail to this address could not be delivered, so alerts are paused. Subscribe again to resume them.') : '';
  const body = [
    v.notice ? `<p role="status">${escapeHtml(v.notice)}</p>` : '',
    v.problems?.length ? `<div role="alert"><p>Please correct:</p><ul>${v.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul></div>` : '',
    status,
    `<form method="post" action="manage?token=${escapeHtml(encodeURIComponent(v.token))}">`,
    `<fieldset>\n<legend>How often</legend>\n${radios}\n</fieldset>`,
    `<fieldset>\n<legend>Members (none ticked: all)</legend>\n${boxes}\n</fieldset>`,
    text('categories', 'Categories', 'Comma-separated, e.g. Research, Guidance. Empty: all.'),
    text('languages', 'Languages', 'Comma-separated language codes, e.g. en, fr. Empty: all.'),
    text('keywords', 'Keywords', 'Comma-separated; a keyword matches words that begin with it. Empty: all.'),
    '<p><button type="submit">Save</button></p>',
    '</form>',
    `<p><a href="${escapeHtml(v.unsubscribeUrl)}">Unsubscribe from all alerts</a></p>`,
  ].filter(Boolean).join('\n');
  return page(v.status ?? 200, 'Your publication alerts', body);
}

export function unsubscribeFormPage(token: string): HttpResponse {
  return page(200, 'Unsubscribe', [
    paragraph('Stop all e-mail alerts to this address? Your address and your choices are deleted at once.'),
    `<form method="post" action="unsubscribe?token=${escapeHtml(encodeURIComponent(token))}">`,
    '<p><button type="submit">Unsubscribe</button></p>',
    '</form>',
  ].join('\n'));
}

export function unsubscribedPage(): HttpResponse {
  return page(200, 'You are unsubscribed', paragraph('No more alerts will be sent to this address, and it has been deleted from the hub. You can subscribe again at any time.'));
}
