import type { TranslationResource } from './de';

export const en: TranslationResource = {
  app: {
    name: 'Angebotsatlas',
    tagline: 'Social services and neighbourhoods in {{city}}',
    taglineWithoutCity: 'Social services and neighbourhoods',
    skipToContent: 'Skip to main content',
    mainNavigation: 'Main areas',
  },
  language: {
    label: 'Language',
    de: 'Deutsch',
    en: 'English',
  },
  navigation: {
    findOffers: 'Find services',
    planning: 'Planning',
    administration: 'Administration',
  },
  pages: {
    findOffers: {
      title: 'Find services',
      intro:
        'Soon you will find social services near you here – for example meeting places for older people, counselling or family centres. You can already see the city’s neighbourhoods (Sozialräume) on the map and in the list.',
    },
    planning: {
      title: 'Planning',
      intro:
        'For social planners: coverage per neighbourhood, gaps and comparisons between areas. The basis are the neighbourhoods (Sozialräume) shown in the map and table here.',
    },
    administration: {
      title: 'Administration',
      intro: 'For staff of departments and providers: record, check and maintain services.',
      comingSoon: 'Sign-in and editing of services will follow in one of the next releases.',
      dataStatusHeading: 'Data status',
      dataLoaded: 'The area data is loaded.',
      dataNotLoaded: 'The area data has not been loaded yet.',
    },
    notFound: {
      title: 'Page not found',
      text: 'There is no page at this address. It may have moved, or the address contains a typo.',
      backHome: 'Go to the home page',
    },
  },
  areas: {
    heading: 'Neighbourhoods (Sozialräume)',
    tableCaption: 'Neighbourhoods with code and district',
    count_one: '{{count}} neighbourhood',
    count_other: '{{count}} neighbourhoods',
    columnName: 'Name',
    columnCode: 'Code',
    columnDistrict: 'District',
    noDistrict: '–',
    selectedAnnouncement: 'Selected: {{name}}',
    clearSelection: 'Clear selection',
    filterLabel: 'Filter the list',
    filterHint: 'Name, code or district',
    filterNoMatch: 'No neighbourhood matches “{{query}}”.',
    empty: 'No neighbourhoods have been added yet.',
    loading: 'Loading neighbourhoods …',
    listRegion: 'List of neighbourhoods',
  },
  map: {
    label: 'Map of the neighbourhoods',
    labelWithCity: 'Map of the neighbourhoods in {{city}}',
    keyboardHint:
      'You can use the map with a keyboard: arrow keys move it, plus and minus zoom. All neighbourhoods are also in the list.',
    zoomIn: 'Zoom in',
    zoomOut: 'Zoom out',
    resetBearing: 'Reset the map to north',
    toggleAttribution: 'Show or hide the sources',
    unavailable: 'The map cannot be shown in this browser. You will find all neighbourhoods in the list.',
  },
  footer: {
    dataSources: 'Data sources',
    licence: 'Licence: {{licence}}',
    sourceLink: 'Source: {{title}}',
    mapRendering: 'Map rendering with MapLibre GL JS (BSD-3-Clause).',
    basemapNotice: 'The background map names its sources at the bottom right of the map.',
    noAttributions: 'No data sources have been entered yet.',
    about: 'Angebotsatlas is free software (AGPL-3.0) and uses no trackers.',
    version: 'Version {{version}}',
  },
  status: {
    loading: 'Loading …',
  },
  errors: {
    title: 'Sorry, that did not work',
    network: 'The server cannot be reached right now. Please check your connection and try again.',
    notFound: 'The requested data does not exist (any more).',
    validation: 'The request was not valid.',
    server: 'An error occurred on the server. Please try again later.',
    unexpected: 'An unexpected error occurred.',
    retry: 'Try again',
    reference: 'Error code: {{code}}',
    pageCrashed: 'This page could not be shown.',
  },
};
