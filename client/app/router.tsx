import { createBrowserRouter } from 'react-router';
import { paths } from '../config/paths';
import { AppLayout } from './layout/app-layout';
import { RequireSession } from '../features/auth/components/require-session';
import { AdministrationRoute } from './routes/administration';
import { FindOffersSearchRoute, LegacySearchRedirect } from './routes/find-offers-search';
import { NotFoundRoute } from './routes/not-found';
import { OfferDetailRoute } from './routes/offer-detail';
import { PlanningRoute } from './routes/planning';
import { RouteError } from './routes/route-error';

export function createRouter() {
  return createBrowserRouter([
    {
      element: <AppLayout />,
      children: [
        {
          errorElement: <RouteError />,
          children: [
            { path: paths.offerSearch.path, element: <FindOffersSearchRoute /> },
            { path: paths.legacyOfferSearch.path, element: <LegacySearchRedirect /> },
            { path: paths.offerDetail.path, element: <OfferDetailRoute /> },
            { path: paths.planning.path, element: <PlanningRoute /> },
            {
              path: paths.planningCoverage.path,
              lazy: () =>
                import('./routes/planning-coverage').then((module) => ({ Component: module.PlanningCoverageRoute })),
            },
            { path: paths.goals.path, lazy: () => import('./routes/goals').then((module) => ({ Component: module.PublicGoalsRoute })) },
            { path: paths.goalReport.path, lazy: () => import('./routes/goals').then((module) => ({ Component: module.GoalReportRoute })) },
            { path: paths.publicGoal.path, lazy: () => import('./routes/goals').then((module) => ({ Component: module.PublicGoalRoute })) },
            { path: paths.administration.path, element: <AdministrationRoute /> },
            // Staff pages load on demand (forms, map picker, shared zod schemas stay out of the
            // public bundle); all but the sign-in page need a session.
            {
              path: paths.signIn.path,
              lazy: () => import('./routes/sign-in').then((module) => ({ Component: module.SignInRoute })),
            },
            {
              element: <RequireSession signInHref={paths.signIn.href} />,
              children: [
                {
                  path: paths.administrationOffers.path,
                  lazy: () =>
                    import('./routes/administration-offers').then((module) => ({ Component: module.AdministrationOffersRoute })),
                },
                {
                  path: paths.administrationNewOffer.path,
                  lazy: () =>
                    import('./routes/administration-offer').then((module) => ({ Component: module.AdministrationNewOfferRoute })),
                },
                {
                  path: paths.administrationOffer.path,
                  lazy: () =>
                    import('./routes/administration-offer').then((module) => ({ Component: module.AdministrationOfferRoute })),
                },
                {
                  path: paths.administrationOfferHistory.path,
                  lazy: () =>
                    import('./routes/administration-offer-history').then((module) => ({
                      Component: module.AdministrationOfferHistoryRoute,
                    })),
                },
                {
                  path: paths.administrationAccounts.path,
                  lazy: () =>
                    import('./routes/administration-accounts').then((module) => ({ Component: module.AdministrationAccountsRoute })),
                },
                {
                  path: paths.steering.path,
                  lazy: () => import('./routes/goals').then((module) => ({ Component: module.StaffGoalsRoute })),
                },
                {
                  path: paths.steeringGoal.path,
                  lazy: () => import('./routes/goals').then((module) => ({ Component: module.StaffGoalRoute })),
                },
                {
                  path: paths.steeringNewGoal.path,
                  lazy: () => import('./routes/steering-forms').then((module) => ({ Component: module.NewGoalRoute })),
                },
                {
                  path: paths.steeringEditGoal.path,
                  lazy: () => import('./routes/steering-forms').then((module) => ({ Component: module.EditGoalRoute })),
                },
                {
                  path: paths.steeringNewMeasure.path,
                  lazy: () => import('./routes/steering-forms').then((module) => ({ Component: module.NewMeasureRoute })),
                },
                {
                  path: paths.steeringMeasure.path,
                  lazy: () => import('./routes/steering-forms').then((module) => ({ Component: module.EditMeasureRoute })),
                },
                {
                  path: paths.administrationImport.path,
                  lazy: () =>
                    import('./routes/administration-import').then((module) => ({ Component: module.AdministrationImportRoute })),
                },
              ],
            },
            { path: '*', element: <NotFoundRoute /> },
          ],
        },
      ],
    },
  ]);
}
