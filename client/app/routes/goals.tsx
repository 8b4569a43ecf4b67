import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { ErrorMessage } from '../../components/ui/error-message';
import { PageHeader } from '../../components/ui/page-header';
import { paths } from '../../config/paths';
import { useGoalTracking, type Audience } from '../../features/steering/api/get-steering';
import { CouncilReport } from '../../features/steering/components/council-report';
import { GoalView } from '../../features/steering/components/goal-view';
import { SteeringDashboard } from '../../features/steering/components/steering-dashboard';
import { useDocumentTitle } from '../../lib/use-document-title';

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
  useDocumentTitle(t('steering.staffTitle'), t('app.name'));
  return (
    <>
      <PageHeader title={t('steering.staffTitle')} intro={t('steering.staffIntro')} />
      <p className="page-lead-link">
        <Link to={paths.goalReport.href()}>{t('steering.reportLink')}</Link>
      </p>
      <SteeringDashboard audience="staff" goalHref={paths.steeringGoal.href} />
    </>
  );
}

function GoalPage({ audience, backHref }: { audience: Audience; backHref: string }) {
  const { t } = useTranslation();
  const { goalId = '' } = useParams();
  const tracking = useGoalTracking(audience, goalId);
  useDocumentTitle(tracking.data?.goal.title ?? t('steering.goal'), t('app.name'));
  return (
    <>
      <p>
        <Link to={backHref}>{t('steering.backToOverview')}</Link>
      </p>
      {tracking.data ? <PageHeader title={tracking.data.goal.title} /> : <PageHeader title={t('steering.goal')} />}
      {tracking.isPending ? <p role="status">{t('status.loading')}</p> : null}
      {tracking.isError ? <ErrorMessage error={tracking.error} onRetry={() => void tracking.refetch()} /> : null}
      {tracking.data ? <GoalView tracking={tracking.data} /> : null}
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
