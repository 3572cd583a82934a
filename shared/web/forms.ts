// HTML form posts (application/x-www-form-urlencoded), read defensively: a size cap well below the
// transport's 1 MiB, a cap on the number of fields and on each value, and no object built from
// field names (URLSearchParams, so a field called "__proto__" is just a name).
import { HubError, ValidationError } from '../errors.ts';
import type { HttpRequest } from '../http/types.ts';

export interface FormLimits {
  /** Bytes of the body; default 64 KiB. */
  maxBytes?: number;
  /** Fields (name=value pairs); default 200. */
  maxFields?: number;
  /** Characters of any one value; default 10,000. */
  maxValueLength?: number;
}

export function parseForm(req: HttpRequest, limits: FormLimits = {}): URLSearchParams {
  const maxBytes = limits.maxBytes ?? 64 * 1024;
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  // A form with no fields may arrive without a body or a content type.
  if (req.body && type !== 'application/x-www-form-urlencoded') {
    throw new ValidationError('unsupported_media_type', 'Send the form as application/x-www-form-urlencoded.');
  }
  const body = req.body ?? '';
  if (Buffer.byteLength(body) > maxBytes) throw new HubError('validation', 'body_too_large', `The form is larger than ${Math.round(maxBytes / 1024)} KiB.`);
  const pairs = body === '' ? 0 : body.split('&').length;
  if (pairs > (limits.maxFields ?? 200)) throw new ValidationError('too_many_fields', 'The form has too many fields.');
  const form = new URLSearchParams(body);
  const maxValue = limits.maxValueLength ?? 10_000;
  for (const [name, value] of form) {
    if (name.length > 100 || value.length > maxValue) throw new ValidationError('field_too_long', 'A field of the form is too long.');
  }
  return form;
}

/** A text field, trimmed and cleaned of control characters; '' when absent. */
export function textField(form: URLSearchParams, name: string, max = 2048): string {
  return (form.get(name) ?? '').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').trim().slice(0, max);
}

/** A list typed as commas, semicolons or new lines ("unodc.org, iom.int"), trimmed, without empties or repeats. */
export function listField(form: URLSearchParams, name: string, max = 50): string[] {
  const items = textField(form, name, 10_000)
    .split(/[,;\n\r]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return [...new Set(items)].slice(0, max);
}
