import { codeLike, coordinateMessages, notAnAreaId } from '../http/common-messages.ts';
import type { MessageCatalogue } from '../http/localized-validation.ts';

/** Messages of the coverage questions (GET /api/coverage, gaps, scenario, profile), German first. */
export const coverageMessages: MessageCatalogue = {
  ...coordinateMessages,
  'format.offerType': codeLike('kita'),
  'format.targetGroup': codeLike('seniors'),
  'field.mode': {
    de: 'Muss „walk“ (Fußweg über das Straßennetz) oder „airline“ (Luftlinie) sein.',
    en: 'Must be "walk" (network walking distance) or "airline".',
  },
  'field.distance': { de: 'Muss eine ganze Zahl von Metern zwischen 50 und 10000 sein.', en: 'Must be a whole number of metres between 50 and 10000.' },
  'field.year': { de: 'Muss ein Jahr wie 2012 sein (1900 bis 2200).', en: 'Must be a year such as 2012 (1900 to 2200).' },
  'field.detourFactor': { de: 'Muss eine Zahl zwischen 1 und 3 sein, zum Beispiel 1.3.', en: 'Must be a number between 1 and 3, such as 1.3.' },
  'format.bands': {
    de: 'Muss bis zu 10 Stufen als Meter:Gewicht angeben, zum Beispiel „250:1,500:0.68,1000:0.22“.',
    en: 'Must list up to 10 bands as metres:weight, e.g. "250:1,500:0.68,1000:0.22".',
  },
  bands_increase: { de: 'Die Entfernungen der Stufen müssen zunehmen.', en: 'The band distances must increase.' },
  bands_range: { de: 'Jede Stufe muss zwischen 1 und 10000 m enden.', en: 'Each band must end between 1 and 10,000 m.' },
  bands_weight: { de: 'Jedes Gewicht muss zwischen 0 und 1 liegen.', en: 'Each weight must be between 0 and 1.' },
  subject_required: {
    de: 'Bitte eine Angebotsart (zum Beispiel „kita“) oder eine Zielgruppe (zum Beispiel „seniors“) angeben.',
    en: 'Give an offer type (e.g. "kita") or a target group (e.g. "seniors").',
  },
  'field.limit': { de: 'Muss eine ganze Zahl zwischen 1 und 20000 sein.', en: 'Must be a whole number between 1 and 20000.' },
  'field.capacity': { de: 'Muss eine Zahl zwischen 0 und 100000 sein.', en: 'Must be a number between 0 and 100,000.' },
  'field.offers': {
    de: 'Muss eine Liste von 1 bis 100 gedachten Angeboten mit lon und lat sein.',
    en: 'Must be a list of 1 to 100 hypothetical offers with lon and lat.',
  },
  'field.areaId': notAnAreaId,
  // Raised inside the coverage service, answered in the request's language by the problem handler.
  unknown_offer_type: { de: 'Die Angebotsart „{code}“ gibt es nicht.', en: 'There is no offer type "{code}".' },
  unknown_target_group: { de: 'Die Zielgruppe „{code}“ gibt es nicht.', en: 'There is no target group "{code}".' },
  no_demand_mapping: {
    de: 'geodata/coverage-demand.json sagt nicht, welche Einwohner „{code}“ dient; bekannte Zielgruppen: {known}.',
    en: 'geodata/coverage-demand.json does not say which residents "{code}" serves; known target groups: {known}.',
  },
  no_demand_mapping_target_group: {
    de: 'Der Zielgruppe „{code}“ sind keine Einwohner zugeordnet.',
    en: 'No residents are mapped to the target group "{code}".',
  },
  outside_areas: { de: 'Liegt außerhalb aller Sozialräume der Stadt.', en: 'Lies outside every Sozialraum of the city.' },
  capacity_required: {
    de: 'Wird gebraucht: Die vorhandenen Angebote dieser Art werden nach ihrer Kapazität gezählt.',
    en: 'Is needed: the existing offers of this type are counted by their capacity.',
  },
  statistics_not_found: {
    de: 'Für die Zielgruppe „{code}“ gibt es keine Statistik der Sozialräume (Indikatoren {indicators}); bitte zuerst Bevölkerungsstatistik importieren.',
    en: 'There are no Sozialraum statistics for the target group "{code}" (indicators {indicators}); import population statistics first.',
  },
  no_statistics_for_year: {
    de: 'Für {year} gibt es keine Statistik; vorhandene Jahre: {years}.',
    en: 'There are no statistics for {year}; available years: {years}.',
  },
};
