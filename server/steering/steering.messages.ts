import { codeLike, commonMessages } from '../http/common-messages.ts';
import type { MessageCatalogue } from '../http/localized-validation.ts';

/** Messages of the steering feature, German first. Keys are the stable `code` of an error. */
export const steeringMessages: MessageCatalogue = {
  ...commonMessages,
  'format.fieldOfAction': codeLike('health'),
  'format.targetGroup': codeLike('seniors'),
  'format.indicator': codeLike('population_75_plus'),
  'format.offerType': codeLike('senior_meeting_place'),
  'format.month': { de: 'Erwartet wird ein Monat als JJJJ-MM, zum Beispiel 2026-11.', en: 'Expected a month as YYYY-MM, for example 2026-11.' },
  planners_only: {
    de: 'Ziele und Nachverfolgung pflegen Sozialplanerinnen und -planer sowie die Administration.',
    en: 'Goals and tracking are kept by planners and administrators.',
  },
  admin_only: { de: 'Nur die Administration beschließt, erreicht oder verwirft Ziele.', en: 'Only administrators adopt, complete or drop goals.' },
  other_department: {
    de: 'Sie pflegen nur Maßnahmen Ihrer eigenen Dienststelle ({code}).',
    en: 'You keep only the measures of your own department ({code}).',
  },
  goal_of_other_department: {
    de: 'Das Ziel „{title}“ gehört weder Ihrer Dienststelle noch wirkt sie daran mit.',
    en: 'The goal "{title}" is neither owned nor supported by your department.',
  },
  goal_not_found: { de: 'Es gibt kein Ziel mit dieser Kennung.', en: 'There is no goal with this id.' },
  measure_not_found: { de: 'Es gibt keine Maßnahme mit dieser Kennung.', en: 'There is no measure with this id.' },
  unknown_term: {
    de: 'Unbekanntes Kürzel „{code}“ in {taxonomy}; gültige Kürzel liefert GET /api/taxonomies.',
    en: 'Unknown code "{code}" in {taxonomy}; GET /api/taxonomies lists the valid codes.',
  },
  unknown_indicator: { de: 'Es gibt keine Kennzahl „{code}“.', en: 'There is no indicator "{code}".' },
  unknown_goal: { de: 'Es gibt kein Ziel mit der Kennung {id}.', en: 'There is no goal with the id {id}.' },
  areas_required: {
    de: 'Bitte mindestens ein Gebiet angeben oder als Geltungsbereich die ganze Stadt („city“) wählen.',
    en: 'Please name at least one area, or choose the whole city ("city") as the scope.',
  },
  areas_with_city: { de: 'Für die ganze Stadt werden keine Gebiete angegeben.', en: 'A goal for the whole city names no areas.' },
  indicator_missing_for_areas: {
    de: 'Für die Kennzahl „{code}“ gibt es in {count} der gewählten Gebiete keine Werte (zum Beispiel {names}); ein Zielwert ließe sich dort nie messen.',
    en: 'The indicator "{code}" has no values in {count} of the chosen areas (for example {names}); a target there could never be measured.',
  },
  deadline_before_baseline: {
    de: 'Die Frist ({deadline}) muss nach dem Datum des Ausgangswerts ({baseline}) liegen.',
    en: 'The deadline ({deadline}) must come after the date of the baseline ({baseline}).',
  },
  target_equals_baseline: {
    de: 'Der Zielwert muss sich vom Ausgangswert unterscheiden, sonst gibt es keinen Weg zu verfolgen.',
    en: 'The target must differ from the baseline, otherwise there is no way to track.',
  },
  subject_required: {
    de: 'Eine Versorgungskennzahl braucht eine Angebotsart (zum Beispiel „senior_meeting_place“) oder eine Zielgruppe.',
    en: 'A coverage figure needs an offer type (for example "senior_meeting_place") or a target group.',
  },
  share_over_100: { de: 'Ein Anteil liegt zwischen 0 und 100 %.', en: 'A share lies between 0 and 100 %.' },
  future_month: {
    de: 'Der Monat {month} liegt in der Zukunft; Prozesskennzahlen werden für vergangene oder den laufenden Monat erfasst.',
    en: 'The month {month} lies in the future; process figures are entered for past months or the current one.',
  },
  not_a_process_figure: {
    de: 'Dieses Ziel misst keine Prozesskennzahl; seine Werte kommen aus {kind}.',
    en: 'This goal does not measure a process figure; its values come from {kind}.',
  },
  area_not_in_goal: { de: 'Das Gebiet gehört nicht zu diesem Ziel.', en: 'The area is not one of this goal\'s areas.' },
  goal_dropped: { de: 'Das Ziel wurde verworfen; es nimmt keine Werte mehr an.', en: 'The goal has been dropped; it takes no more values.' },
  invalid_transition: {
    de: 'Ein Ziel im Status „{from}“ kann nicht in den Status „{to}“ wechseln.',
    en: 'A goal with the status "{from}" cannot change to "{to}".',
  },
  adopted_fixed: {
    de: 'Ein beschlossenes Ziel ändert seine Kennzahl, seinen Ausgangswert und seine Gebiete nicht mehr; legen Sie ein neues Ziel an.',
    en: 'An adopted goal keeps its key figure, baseline and areas; create a new goal instead.',
  },
  planned_offer_required: {
    de: 'Eine Maßnahme „neues Angebot“ braucht ein geplantes Angebot mit Ort und Angebotsart.',
    en: 'A "new offer" measure needs a planned offer with a place and an offer type.',
  },
  not_a_new_offer: { de: 'Nur eine Maßnahme „neues Angebot“ eröffnet ein Angebot.', en: 'Only a "new offer" measure opens an offer.' },
  already_opened: { de: 'Das geplante Angebot wurde bereits eröffnet.', en: 'The planned offer has already been opened.' },
  no_effect_for_figure: {
    de: 'Die erwartete Wirkung lässt sich nur für Versorgungskennzahlen berechnen.',
    en: 'The expected effect can only be computed for coverage figures.',
  },
  snapshot_month: {
    de: 'Stichtage werden nur für den laufenden Monat ({current}) erhoben: der Bestand eines anderen Monats ist nicht mehr oder noch nicht bekannt.',
    en: 'Snapshots are taken for the current month ({current}) only: the inventory of another month is no longer, or not yet, known.',
  },
};
