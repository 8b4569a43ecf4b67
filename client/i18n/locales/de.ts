// German is the source language: every key starts here, en.ts must mirror it (see tests/unit/i18n-resources.test.ts).
export const de = {
  app: {
    name: 'Angebotsatlas',
    tagline: 'Soziale Angebote und Sozialräume in {{city}}',
    taglineWithoutCity: 'Soziale Angebote und Sozialräume',
    skipToContent: 'Zum Inhalt springen',
    mainNavigation: 'Hauptbereiche',
  },
  language: {
    label: 'Sprache',
    de: 'Deutsch',
    en: 'English',
  },
  navigation: {
    findOffers: 'Angebote finden',
    planning: 'Planung',
    administration: 'Verwaltung',
  },
  pages: {
    findOffers: {
      title: 'Angebote finden',
      intro:
        'Hier finden Sie bald soziale Angebote in Ihrer Nähe – zum Beispiel Seniorentreffs, Beratungsstellen oder Familienzentren. Schon jetzt sehen Sie die Sozialräume der Stadt auf der Karte und in der Liste.',
    },
    planning: {
      title: 'Planung',
      intro:
        'Für die Sozialplanung: Versorgung je Sozialraum, Lücken und Vergleiche zwischen Gebieten. Grundlage sind die Sozialräume, die Karte und Tabelle hier zeigen.',
    },
    administration: {
      title: 'Verwaltung',
      intro:
        'Für Mitarbeitende der Ämter und Träger: Angebote erfassen, prüfen und aktuell halten.',
      comingSoon: 'Die Anmeldung und die Pflege der Angebote folgen in einer der nächsten Versionen.',
      dataStatusHeading: 'Datenstand',
      dataLoaded: 'Die Gebietsdaten sind geladen.',
      dataNotLoaded: 'Die Gebietsdaten sind noch nicht geladen.',
    },
    notFound: {
      title: 'Seite nicht gefunden',
      text: 'Unter dieser Adresse gibt es keine Seite. Vielleicht wurde sie verschoben, oder die Adresse enthält einen Tippfehler.',
      backHome: 'Zur Startseite',
    },
  },
  areas: {
    heading: 'Sozialräume',
    tableCaption: 'Sozialräume mit Kennziffer und Stadtbezirk',
    count_one: '{{count}} Sozialraum',
    count_other: '{{count}} Sozialräume',
    columnName: 'Name',
    // Soft hyphen: the header may break on narrow phones.
    columnCode: 'Kenn\u00ADziffer',
    columnDistrict: 'Stadtbezirk',
    noDistrict: '–',
    selectedAnnouncement: 'Ausgewählt: {{name}}',
    clearSelection: 'Auswahl aufheben',
    filterLabel: 'Liste filtern',
    filterHint: 'Name, Kennziffer oder Stadtbezirk',
    filterNoMatch: 'Kein Sozialraum passt zu „{{query}}“.',
    empty: 'Es sind noch keine Sozialräume hinterlegt.',
    loading: 'Sozialräume werden geladen …',
    listRegion: 'Liste der Sozialräume',
  },
  map: {
    label: 'Karte der Sozialräume',
    labelWithCity: 'Karte der Sozialräume in {{city}}',
    keyboardHint:
      'Die Karte lässt sich mit der Tastatur bedienen: Pfeiltasten verschieben, Plus und Minus zoomen. Alle Sozialräume stehen auch in der Liste.',
    zoomIn: 'Hineinzoomen',
    zoomOut: 'Herauszoomen',
    resetBearing: 'Karte nach Norden ausrichten',
    toggleAttribution: 'Quellenangaben ein- oder ausblenden',
    unavailable:
      'Die Karte kann in diesem Browser nicht angezeigt werden. Alle Sozialräume finden Sie in der Liste.',
  },
  footer: {
    dataSources: 'Datenquellen',
    licence: 'Lizenz: {{licence}}',
    sourceLink: 'Quelle: {{title}}',
    mapRendering: 'Kartendarstellung mit MapLibre GL JS (BSD-3-Clause).',
    basemapNotice: 'Die Hintergrundkarte nennt ihre Quellen unten rechts in der Karte.',
    noAttributions: 'Es sind noch keine Datenquellen eingetragen.',
    about: 'Angebotsatlas ist freie Software (AGPL-3.0) und setzt keine Tracker ein.',
    version: 'Version {{version}}',
  },
  status: {
    loading: 'Wird geladen …',
  },
  errors: {
    title: 'Das hat leider nicht geklappt',
    network: 'Der Server ist gerade nicht erreichbar. Bitte prüfen Sie Ihre Verbindung und versuchen Sie es noch einmal.',
    notFound: 'Die angefragten Daten gibt es nicht (mehr).',
    validation: 'Die Anfrage war nicht gültig.',
    server: 'Auf dem Server ist ein Fehler aufgetreten. Bitte versuchen Sie es später noch einmal.',
    unexpected: 'Ein unerwarteter Fehler ist aufgetreten.',
    retry: 'Erneut versuchen',
    reference: 'Fehlercode: {{code}}',
    pageCrashed: 'Diese Seite konnte nicht angezeigt werden.',
  },
};

export type TranslationResource = typeof de;
