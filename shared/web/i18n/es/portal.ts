// Member portal and secretariat pages. Owned by the portal.
import type { Catalogue } from '../index.ts';

export const esPortal: Catalogue = {
};
