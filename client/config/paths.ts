// The one place that knows the URLs of the client. Links and the router read from here.
export const paths = {
  findOffers: {
    path: '/',
    href: () => '/',
  },
  planning: {
    path: '/planung',
    href: () => '/planung',
  },
  administration: {
    path: '/verwaltung',
    href: () => '/verwaltung',
  },
} as const;

// Search parameters that carry shareable view state.
export const searchParameterNames = {
  selectedArea: 'area',
} as const;
