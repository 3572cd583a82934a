// Mails: publication alerts, digests and their confirmation, and notices to members about their feeds.
import type { Translation } from '../catalogue-types.ts';
import type { enMail } from '../en/mail-messages.ts';

export const frMail: Translation<typeof enMail> = {
  'mail.count': { one: '{count} nouvelle publication', other: '{count} nouvelles publications' },
  'mail.alert.subject': '{member} : {title}',
  'mail.rollup.subject': '{publications} de {members}',
  'mail.members.more': { one: '{count} autre', other: '{count} autres' },
  'mail.digest.daily': 'Résumé quotidien, {day} : {publications}',
  'mail.digest.weekly': 'Résumé hebdomadaire, semaine jusqu’au {day} : {publications}',
  'mail.reason.instant': 'Vous recevez ce message parce que vous êtes abonné·e aux alertes immédiates sur les publications de l’ICAT sur {site}.',
  'mail.reason.daily': 'Vous recevez ce message parce que vous êtes abonné·e au résumé quotidien des publications de l’ICAT sur {site}.',
  'mail.reason.weekly': 'Vous recevez ce message parce que vous êtes abonné·e au résumé hebdomadaire des publications de l’ICAT sur {site}.',
  'mail.more.text': { one: '…et {count} autre : {link}', other: '…et {count} autres : {link}' },
  'mail.more.html': { one: '…et {count} autre.', other: '…et {count} autres.' },
  'mail.footer.manage': 'Modifier ce que vous recevez',
  'mail.footer.unsubscribe': 'Se désabonner',
  // A label and its link on a line of the text footer (French puts a space before the colon).
  'mail.footer.line': '{label} : {link}',

  'mail.confirm.subject': 'Confirmez vos alertes sur les publications',
  'mail.confirm.intro': 'Quelqu’un, probablement vous, a demandé à recevoir à cette adresse des alertes par courriel sur les nouvelles publications des organisations membres de l’ICAT.',
  'mail.confirm.open': 'Pour confirmer, ouvrez ce lien : {link}',
  'mail.confirm.button': 'Confirmer mes alertes',
  'mail.confirm.ignore': {
    one: 'Si vous n’avez rien demandé, ignorez ce courriel : rien ne vous sera envoyé. Le lien expire dans {count} jour.',
    other: 'Si vous n’avez rien demandé, ignorez ce courriel : rien ne vous sera envoyé. Le lien expire dans {count} jours.',
  },

  'mail.notice.hello': 'Bonjour {name},',
  'mail.notice.health': 'Son état : {link}',
  'mail.notice.signature': 'Plateforme de syndication de l’ICAT',
  'mail.notice.recovered.subject': 'Votre flux {name} fonctionne de nouveau',
  'mail.notice.recovered.body': 'Le flux {url} fonctionne de nouveau, et la plateforme publie ses éléments comme avant.',
  'mail.notice.dead.subject': 'Votre flux {name} ne fonctionne plus',
  'mail.notice.dead.body': {
    one: 'La plateforme n’a pas pu lire votre flux {url} {count} fois de suite.',
    other: 'La plateforme n’a pas pu lire votre flux {url} {count} fois de suite.',
  },
  'mail.notice.dead.bodySince': {
    one: 'La plateforme n’a pas pu lire votre flux {url} {count} fois de suite (depuis le {day}).',
    other: 'La plateforme n’a pas pu lire votre flux {url} {count} fois de suite (depuis le {day}).',
  },
  'mail.notice.dead.lastError': 'La dernière erreur : {error}',
  'mail.notice.dead.todo': 'Que faire : {advice}',
  'mail.notice.dead.retry': 'Tant qu’il ne fonctionne pas, la plateforme le vérifie une fois par jour et vous prévient quand il fonctionne de nouveau.',
  'mail.notice.advice.default': 'Vérifiez que l’adresse sert toujours le flux.',
  'mail.notice.advice.gone':
    'L’adresse ne sert plus de flux : les sites déplacent souvent leurs flux lors d’une refonte. Trouvez la nouvelle adresse du flux sur votre site, enregistrez-la et supprimez celle-ci.',
  'mail.notice.advice.invalid':
    'L’adresse répond, mais pas avec un flux valide. Ouvrez-la dans un navigateur ou un validateur de flux et corrigez ce que signale le message ci-dessus (souvent un « & » non échappé).',
  'mail.notice.advice.blocked': 'L’adresse pointe vers un réseau privé ou interne, que la plateforme ne consulte jamais. Utilisez l’adresse publique du flux.',
  'mail.notice.advice.tls': 'Le certificat HTTPS du site n’est pas valide (expiré, ou pour un autre nom). Renouvelez ou corrigez le certificat.',
  'mail.notice.advice.unreachable': 'Le site n’a pas pu être joint. Vérifiez qu’il est en ligne et que son nom se résout.',
};
