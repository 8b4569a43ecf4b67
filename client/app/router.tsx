import { createBrowserRouter } from 'react-router';
import { paths } from '../config/paths';
import { AppLayout } from './layout/app-layout';
import { AdministrationRoute } from './routes/administration';
import { FindOffersRoute } from './routes/find-offers';
import { NotFoundRoute } from './routes/not-found';
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
            { path: paths.findOffers.path, element: <FindOffersRoute /> },
            { path: paths.planning.path, element: <PlanningRoute /> },
            { path: paths.administration.path, element: <AdministrationRoute /> },
            { path: '*', element: <NotFoundRoute /> },
          ],
        },
      ],
    },
  ]);
}
