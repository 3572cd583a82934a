// The site's error pages beyond "not found" and "something went wrong" (shared/web/error-pages.ts).
import type { Catalogue } from '../catalogue-types.ts';

export const enErrors = {
  'site.badAddress.title': 'This address is not valid',
  'site.badAddress.body': 'The address contains a malformed character code (a “%” not followed by two hexadecimal digits, or one that stands for no character). Check the link, or start again from the latest publications.',
  'site.tooLarge.title': 'What you sent is too large',
  'site.tooLarge.body': 'The form or file sent is larger than this site accepts (1 MB). Send less at a time.',
  'site.tooLong.title': 'This address is too long',
  'site.tooLong.body': 'The address, or the information your browser sent with it, is longer than this site accepts. Follow a shorter link, or clear this site’s cookies and try again.',
  'site.tooMany.title': 'Too many requests',
  'site.tooMany.body': 'This address has made many requests in a short time. Please wait a minute and try again.',
  'site.refused.title': 'This request could not be handled',
  'site.refused.body': 'The request could not be handled as sent. Go back, reload the page and try again.',
} satisfies Catalogue;
