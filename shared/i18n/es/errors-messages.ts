// Las páginas de error del sitio (shared/web/error-pages.ts).
import type { Translation } from '../catalogue-types.ts';
import type { enErrors } from '../en/errors-messages.ts';

export const esErrors: Translation<typeof enErrors> = {
  'site.badAddress.title': 'Esta dirección no es válida',
  'site.badAddress.body': 'La dirección contiene un código de carácter mal formado (un «%» que no va seguido de dos dígitos hexadecimales, o que no corresponde a ningún carácter). Compruebe el enlace o vuelva a las últimas publicaciones.',
  'site.tooLarge.title': 'Lo enviado es demasiado grande',
  'site.tooLarge.body': 'El formulario o el archivo enviado supera el tamaño que acepta este sitio (1 MB). Envíe menos cada vez.',
  'site.tooLong.title': 'Esta dirección es demasiado larga',
  'site.tooLong.body': 'La dirección, o la información que su navegador envía con ella, supera la longitud que acepta este sitio. Siga un enlace más corto, o borre las cookies de este sitio y vuelva a intentarlo.',
  'site.tooMany.title': 'Demasiadas solicitudes',
  'site.tooMany.body': 'Esta dirección ha hecho muchas solicitudes en poco tiempo. Espere un minuto y vuelva a intentarlo.',
  'site.refused.title': 'No se ha podido atender esta solicitud',
  'site.refused.body': 'No se ha podido atender la solicitud tal como se envió. Vuelva atrás, recargue la página e inténtelo de nuevo.',
};
