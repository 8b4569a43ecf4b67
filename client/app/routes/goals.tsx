import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { ErrorMessage } from '../../components/ui/error-message';
import { PageHeader } from '../../components/ui/page-header';
import { paths } from '../../config/paths';
import { useConfig } from '../../features/app-config/api/get-config';
import { useAreas } from '../../features/areas/api/get-areas';
import { signedInUser, useSession } from '../../features/auth/api/get-session';
import { useGoalTracking, type Audience } from '../../features/steering/api/get-steering';
import { CouncilReport } from '../../features/steering/components/council-report';
import { FigureOffersList, GoalAreasMap, type GoalMapSetting } from '../../features/steering/components/goal-areas-map';
import { GoalActions, NeedsPanel, ProcessValuesPanel, SteeringHistory } from '../../features/steering/components/goal-staff-panels';
import { GoalView } from '../../features/steering/components/goal-view';
import { SteeringDashboard } from '../../features/steering/components/steering-dashboard';
import { useDocumentTitle } from '../../lib/use-document-title';
import { isValidBbox } from '../../map/geometry';

// The steering cycle's pages: the public view of adopted goals, the council report, and the
// staff dashboard with drafts (docs/steering.md).

export function PublicGoalsRoute() {
  const { t } = useTranslation();
  const { search } = useLocation();
  useDocumentTitle(t('steering.publicTitle'), t('app.name'));
  return (
    <>
      <PageHeader title={t('steering.publicTitle')} intro={t('steering.publicIntro')} />
      <p className="page-lead-link">
        <Link to={paths.goalReport.href(search)}>{t('steering.reportLink')}</Link>
      </p>
      <SteeringDashboard audience="public" goalHref={paths.publicGoal.href} />
    </>
  );
}

export function StaffGoalsRoute() {
  const { t } = useTranslation();
  const user = signedInUser(useSession().data);
  useDocumentTitle(t('steering.staffTitle'), t('app.name'));
  return (
    <>
      <PageHeader title={t('steering.staffTitle')} intro={t('steering.staffIntro')} />
      <p className="page-lead-link steering-actions">
        {user && user.role !== 'editor' ? (
          <Link className="button" to={paths.steeringNewGoal.href()}>
            {t('steeringForms.newGoal')}
          </Link>
        ) : null}
        <Link className="button" to={paths.steeringNewMeasure.href()}>
          {t('steeringForms.newMeasure')}
        </Link>
        <Link to={paths.goalReport.href()}>{t('steering.reportLink')}</Link>
      </p>
      <SteeringDashboard audience="staff" goalHref={paths.steeringGoal.href} />
    </>
  );
}

/** The map's setting: the city's box, basemap and attributions, the area geometry (null while loading). */
function useGoalMapSetting(): GoalMapSetting | null {
  const { t } = useTranslation();
  const config = useConfig();
  const areas = useAreas('sozialraum');
  const districts = useAreas('district');
  const cityName = config.data?.city.name ?? '';
  const locale = useMemo(
    () => ({
      mapLabel: t('steeringForms.mapLabel', { city: cityName }),
      zoomIn: t('map.zoomIn'),
      zoomOut: t('map.zoomOut'),
      resetBearing: t('map.resetBearing'),
      toggleAttribution: t('map.toggleAttribution'),
    }),
    [t, cityName],
  );
  if (!config.data || !areas.data || !isValidBbox(config.data.city.bbox)) return null;
  return {
    bounds: config.data.city.bbox,
    basemapStyleUrl: config.data.basemapStyleUrl,
    dataAttributions: config.data.attributions.map((item) => item.attribution),
    areas: areas.data as unknown as GoalMapSetting['areas'],
    districts: (districts.data ?? { type: 'FeatureCollection', features: [] }) as unknown as GoalMapSetting['districts'],
    locale,
  };
}

function GoalPage({ audience, backHref }: { audience: Audience; backHref: string }) {
  const { t } = useTranslation();
  const { goalId = '' } = useParams();
  const tracking = useGoalTracking(audience, goalId);
  const mapSetting = useGoalMapSetting();
  const user = signedInUser(useSession({ enabled: audience === 'staff' }).data);
  const staff = audience === 'staff' && user !== null;
  useDocumentTitle(tracking.data?.goal.title ?? t('steering.goal'), t('app.name'));
  const data = tracking.data;
  return (
    <>
      <p>
        <Link to={backHref}>{t('steering.backToOverview')}</Link>
      </p>
      {data ? <PageHeader title={data.goal.title} /> : <PageHeader title={t('steering.goal')} />}
      {tracking.isPending ? <p role="status">{t('status.loading')}</p> : null}
      {tracking.isError ? <ErrorMessage error={tracking.error} onRetry={() => void tracking.refetch()} /> : null}
      {data && staff ? (
        <GoalActions goal={data.goal} user={user} editHref={paths.steeringEditGoal.href(data.goal.id)} newMeasureHref={paths.steeringNewMeasure.href(data.goal.id)} />
      ) : null}
      {data ? (
        <GoalView
          tracking={data}
          areasMap={mapSetting ? <GoalAreasMap goal={data.goal} snapshot={data.snapshots[data.snapshots.length - 1]} setting={mapSetting} /> : null}
          {...(staff ? { measureHref: paths.steeringMeasure.href } : {})}
        />
      ) : null}
      {data ? <FigureOffersList audience={audience} goalId={data.goal.id} offerHref={paths.offerDetail.href} /> : null}
      {data && staff ? (
        <>
          <section aria-labelledby="needs-heading">
            <h2 id="needs-heading">{t('steeringForms.needsHeading')}</h2>
            <NeedsPanel goalId={data.goal.id} />
          </section>
          {data.goal.keyFigure.kind === 'process' ? (
            <section aria-labelledby="process-heading">
              <h2 id="process-heading">{t('steeringForms.processHeading')}</h2>
              <ProcessValuesPanel tracking={data} />
            </section>
          ) : null}
          <section aria-labelledby="history-heading">
            <h2 id="history-heading">{t('steeringForms.historyHeading')}</h2>
            <SteeringHistory kind="goal" id={data.goal.id} />
          </section>
        </>
      ) : null}
    </>
  );
}

export function PublicGoalRoute() {
  return <GoalPage audience="public" backHref={paths.goals.href()} />;
}

export function StaffGoalRoute() {
  return <GoalPage audience="staff" backHref={paths.steering.href()} />;
}

export function GoalReportRoute() {
  const { t } = useTranslation();
  useDocumentTitle(t('steering.reportTitle'), t('app.name'));
  return (
    <>
      <PageHeader title={t('steering.reportTitle')} />
      <CouncilReport />
    </>
  );
}
