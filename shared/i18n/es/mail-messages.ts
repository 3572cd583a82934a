// Mails: publication alerts, digests and their confirmation, and notices to members about their feeds.
import type { Translation } from '../catalogue-types.ts';
import type { enMail } from '../en/mail-messages.ts';

export const esMail: Translation<typeof enMail> = {
  'mail.count': { one: '{count} publicación nueva', other: '{count} publicaciones nuevas' },
  'mail.alert.subject': '{member}: {title}',
  'mail.rollup.subject': '{publications} de {members}',
  'mail.members.more': { one: '{count} más', other: '{count} más' },
  'mail.digest.daily': 'Resumen diario, {day}: {publications}',
  'mail.digest.weekly': 'Resumen semanal, semana hasta el {day}: {publications}',
  'mail.reason.instant': 'Recibe este mensaje porque se suscribió a las alertas inmediatas de publicaciones del ICAT en {site}.',
  'mail.reason.daily': 'Recibe este mensaje porque se suscribió al resumen diario de publicaciones del ICAT en {site}.',
  'mail.reason.weekly': 'Recibe este mensaje porque se suscribió al resumen semanal de publicaciones del ICAT en {site}.',
  'mail.more.text': { one: '…y {count} más: {link}', other: '…y {count} más: {link}' },
  'mail.more.html': { one: '…y {count} más.', other: '…y {count} más.' },
  'mail.footer.manage': 'Cambiar lo que recibe',
  'mail.footer.unsubscribe': 'Darse de baja',
  // A label and its link on a line of the text footer (French puts a space before the colon).
  'mail.footer.line': '{label}: {link}',

  'mail.confirm.subject': 'Confirme sus alertas de publicaciones',
  'mail.confirm.intro': 'Alguien, probablemente usted, pidió recibir en esta dirección alertas por correo electrónico sobre las nuevas publicaciones de las organizaciones miembros del ICAT.',
  'mail.confirm.open': 'Para confirmar, abra este enlace: {link}',
  'mail.confirm.button': 'Confirmar mis alertas',
  'mail.confirm.ignore': {
    one: 'Si no lo pidió, ignore este correo: no se le enviará nada. El enlace caduca en {count} día.',
    other: 'Si no lo pidió, ignore este correo: no se le enviará nada. El enlace caduca en {count} días.',
  },

  'mail.notice.hello': 'Hola, {name}:',
  'mail.notice.health': 'Su estado: {link}',
  'mail.notice.signature': 'Plataforma de sindicación del ICAT',
  'mail.notice.recovered.subject': 'Su fuente {name} vuelve a funcionar',
  'mail.notice.recovered.body': 'La fuente {url} vuelve a funcionar, y la plataforma publica sus elementos como antes.',
  'mail.notice.dead.subject': 'Su fuente {name} ha dejado de funcionar',
  'mail.notice.dead.body': {
    one: 'La plataforma no ha podido leer su fuente {url} {count} vez seguida.',
    other: 'La plataforma no ha podido leer su fuente {url} {count} veces seguidas.',
  },
  'mail.notice.dead.bodySince': {
    one: 'La plataforma no ha podido leer su fuente {url} {count} vez seguida (desde el {day}).',
    other: 'La plataforma no ha podido leer su fuente {url} {count} veces seguidas (desde el {day}).',
  },
  'mail.notice.dead.lastError': 'El último error: {error}',
  'mail.notice.dead.todo': 'Qué hacer: {advice}',
  'mail.notice.dead.retry': 'Mientras no funcione, la plataforma la revisa una vez al día y le avisará cuando vuelva a funcionar.',
  'mail.notice.advice.default': 'Compruebe que la dirección sigue sirviendo la fuente.',
  'mail.notice.advice.gone':
    'La dirección ya no sirve una fuente: los sitios suelen mover sus fuentes cuando se rediseñan. Busque la nueva dirección de la fuente en su sitio, regístrela y elimine esta.',
  'mail.notice.advice.invalid':
    'La dirección responde, pero no con una fuente válida. Ábrala en un navegador o en un validador de fuentes y corrija lo que indica el mensaje anterior (a menudo un «&» sin escapar).',
  'mail.notice.advice.blocked': 'La dirección apunta a una red privada o interna, que la plataforma nunca consulta. Use la dirección pública de la fuente.',
  'mail.notice.advice.tls': 'El certificado HTTPS del sitio no es válido (caducado o emitido para otro nombre). Renueve o corrija el certificado.',
  'mail.notice.advice.unreachable': 'No se pudo acceder al sitio. Compruebe que está en línea y que su nombre se resuelve.',
};
