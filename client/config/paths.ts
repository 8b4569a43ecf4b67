// The one place that knows the URLs of the client. Links and the router read from here.
export const paths = {
  findOffers: {
    path: '/',
    href: () => '/',
  },
  // The citizens' search is the home page; `search` is a search state's query string
  // (features/search/utils/search-state.ts). /angebote?… (older shared links) redirects here.
  offerSearch: {
    path: '/',
    href: (search = '') => (search ? `/?${search.replace(/^\?/, '')}` : '/'),
  },
  legacyOfferSearch: {
    path: '/angebote',
  },
  offerDetail: {
    path: '/angebote/:offerId',
    href: (offerId: string) => `/angebote/${encodeURIComponent(offerId)}`,
  },
  planning: {
    path: '/planung',
    href: () => '/planung',
  },
  planningCoverage: {
    path: '/planung/versorgung',
    href: () => '/planung/versorgung',
  },
  // The steering cycle: public goals (transparency), the council report, the staff dashboard.
  goals: {
    path: '/ziele',
    href: (search = '') => (search ? `/ziele?${search.replace(/^\?/, '')}` : '/ziele'),
  },
  goalReport: {
    path: '/ziele/bericht',
    href: (search = '') => (search ? `/ziele/bericht?${search.replace(/^\?/, '')}` : '/ziele/bericht'),
  },
  publicGoal: {
    path: '/ziele/:goalId',
    href: (goalId: string) => `/ziele/${encodeURIComponent(goalId)}`,
  },
  steering: {
    path: '/planung/ziele',
    href: () => '/planung/ziele',
  },
  steeringGoal: {
    path: '/planung/ziele/:goalId',
    href: (goalId: string) => `/planung/ziele/${encodeURIComponent(goalId)}`,
  },
  steeringNewGoal: {
    path: '/planung/ziele/neu',
    href: () => '/planung/ziele/neu',
  },
  steeringEditGoal: {
    path: '/planung/ziele/:goalId/bearbeiten',
    href: (goalId: string) => `/planung/ziele/${encodeURIComponent(goalId)}/bearbeiten`,
  },
  // `goalId`: the goal a new measure serves (preselected in the form).
  steeringNewMeasure: {
    path: '/planung/massnahmen/neu',
    href: (goalId?: string) => (goalId ? `/planung/massnahmen/neu?${new URLSearchParams({ ziel: goalId }).toString()}` : '/planung/massnahmen/neu'),
  },
  steeringMeasure: {
    path: '/planung/massnahmen/:measureId',
    href: (measureId: string) => `/planung/massnahmen/${encodeURIComponent(measureId)}`,
  },
  administration: {
    path: '/verwaltung',
    href: () => '/verwaltung',
  },
  signIn: {
    path: '/verwaltung/anmelden',
    // `next` is where to go after signing in (a path inside the app).
    href: (next?: string) =>
      next ? `/verwaltung/anmelden?${new URLSearchParams({ next }).toString()}` : '/verwaltung/anmelden',
  },
  administrationOffers: {
    path: '/verwaltung/angebote',
    href: (search = '') => `/verwaltung/angebote${search && !search.startsWith('?') ? `?${search}` : search}`,
  },
  administrationNewOffer: {
    path: '/verwaltung/angebote/neu',
    href: () => '/verwaltung/angebote/neu',
  },
  administrationOffer: {
    path: '/verwaltung/angebote/:offerId',
    href: (offerId: string) => `/verwaltung/angebote/${encodeURIComponent(offerId)}`,
  },
  administrationOfferHistory: {
    path: '/verwaltung/angebote/:offerId/verlauf',
    href: (offerId: string) => `/verwaltung/angebote/${encodeURIComponent(offerId)}/verlauf`,
  },
  administrationImport: {
    path: '/verwaltung/import',
    href: () => '/verwaltung/import',
  },
  administrationAccounts: {
    path: '/verwaltung/konten',
    href: () => '/verwaltung/konten',
  },
} as const;

// Search parameters that carry shareable view state.
export const searchParameterNames = {
  selectedArea: 'area',
  // Sign-in: the page to return to.
  next: 'next',
} as const;
