// The member portal's and the secretariat's messages, added to the catalogues when a signed-in page's
// module is loaded (it imports this one). See index.ts.
import { enPortal } from './en/portal-messages.ts';
import { esPortal } from './es/portal-messages.ts';
import { frPortal } from './fr/portal-messages.ts';
import { addCatalogues } from './index.ts';

addCatalogues({ en: enPortal, fr: frPortal, es: esPortal });
