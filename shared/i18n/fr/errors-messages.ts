// Les pages d’erreur du site (shared/web/error-pages.ts).
import type { Translation } from '../catalogue-types.ts';
import type { enErrors } from '../en/errors-messages.ts';

export const frErrors: Translation<typeof enErrors> = {
  'site.badAddress.title': 'Cette adresse n’est pas valide',
  'site.badAddress.body': 'L’adresse contient un code de caractère mal formé (un « % » qui n’est pas suivi de deux chiffres hexadécimaux, ou qui ne désigne aucun caractère). Vérifiez le lien, ou repartez des dernières publications.',
  'site.tooLarge.title': 'L’envoi est trop volumineux',
  'site.tooLarge.body': 'Le formulaire ou le fichier envoyé dépasse la taille que ce site accepte (1 Mo). Envoyez-en moins à la fois.',
  'site.tooLong.title': 'Cette adresse est trop longue',
  'site.tooLong.body': 'L’adresse, ou les informations que votre navigateur envoie avec elle, dépasse la longueur que ce site accepte. Suivez un lien plus court, ou effacez les cookies de ce site et réessayez.',
  'site.tooMany.title': 'Trop de requêtes',
  'site.tooMany.body': 'Cette adresse a envoyé de nombreuses requêtes en peu de temps. Veuillez patienter une minute et réessayer.',
  'site.refused.title': 'Cette requête n’a pas pu être traitée',
  'site.refused.body': 'La requête n’a pas pu être traitée telle qu’elle a été envoyée. Revenez en arrière, rechargez la page et réessayez.',
};
