// Public pages (latest publications, subscribe, directory, shared layout). Owned by the public site.
import type { Catalogue } from '../index.ts';

export const esPublic: Catalogue = {
};
