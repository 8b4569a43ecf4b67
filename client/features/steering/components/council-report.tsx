import '../steering.css';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ErrorMessage } from '../../../components/ui/error-message';
import { useGoalTracking, useSteeringDashboard } from '../api/get-steering';
import { formatDate } from '../utils/format';
import { readFilter } from './steering-dashboard';
import { GoalView } from './goal-view';

function ReportGoal({ goalId, title }: { goalId: string; title: string }) {
  const { t } = useTranslation();
  const tracking = useGoalTracking('public', goalId);
  return (
    <section className="report-goal" aria-label={title}>
      <h3>{title}</h3>
      {tracking.isPending ? <p role="status">{t('status.loading')}</p> : null}
      {tracking.isError ? <ErrorMessage error={tracking.error} /> : null}
      {tracking.data ? <GoalView tracking={tracking.data} heading="h4" /> : null}
    </section>
  );
}

/**
 * The council report: adopted and achieved goals per Handlungsfeld (or of one department), each
 * with figures, chart and table, measures, method and data dates. The page is laid out for print;
 * the browser's print dialog saves it as PDF.
 */
export function CouncilReport() {
  const { t, i18n } = useTranslation();
  const [search] = useSearchParams();
  const filter = readFilter(search);
  const dashboard = useSteeringDashboard('public', filter);
  const language = i18n.language === 'en' ? 'en' : 'de';
  const fields = dashboard.data?.fields.filter((field) => field.goals.length > 0 && (!filter.fieldOfAction || field.fieldOfAction === filter.fieldOfAction)) ?? [];
  return (
    <div className="council-report">
      <p className="council-report__actions">
        <button type="button" className="button" onClick={() => window.print()}>
          {t('steering.print')}
        </button>
      </p>
      {dashboard.data ? <p>{t('steering.reportIntro', { date: formatDate(dashboard.data.asOf, i18n.language) })}</p> : null}
      {dashboard.isPending ? <p role="status">{t('status.loading')}</p> : null}
      {dashboard.isError ? <ErrorMessage error={dashboard.error} onRetry={() => void dashboard.refetch()} /> : null}
      {dashboard.data && fields.length === 0 ? <p>{t('steering.noGoals')}</p> : null}
      {fields.map((field) => (
        <section key={field.fieldOfAction} className="report-field">
          <h2>{field.label[language]}</h2>
          {field.goals.map((entry) => (
            <ReportGoal key={entry.goal.id} goalId={entry.goal.id} title={entry.goal.title} />
          ))}
        </section>
      ))}
    </div>
  );
}
