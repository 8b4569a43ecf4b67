import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ErrorMessage } from '../../components/ui/error-message';
import { PageHeader } from '../../components/ui/page-header';
import { paths } from '../../config/paths';
import { signedInUser, useSession } from '../../features/auth/api/get-session';
import { useFormChoices, useGoal, useGoals, useMeasure } from '../../features/steering/api/edit-steering';
import { GoalForm } from '../../features/steering/components/goal-form';
import { SteeringHistory } from '../../features/steering/components/goal-staff-panels';
import { MeasureForm } from '../../features/steering/components/measure-form';
import { PlannedOfferPanel } from '../../features/steering/components/measure-panels';
import { useDocumentTitle } from '../../lib/use-document-title';

// The steering cycle's staff forms: planners create and edit goals; editors (for their
// department), planners and administrators create and edit measures.

function Loading() {
  const { t } = useTranslation();
  return <p role="status">{t('status.loading')}</p>;
}

function PlannersOnly() {
  const { t } = useTranslation();
  return <p role="alert">{t('steeringForms.plannersOnly')}</p>;
}

export function NewGoalRoute() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const user = signedInUser(useSession().data);
  const choices = useFormChoices();
  useDocumentTitle(t('steeringForms.newGoal'), t('app.name'));
  return (
    <>
      <p>
        <Link to={paths.steering.href()}>{t('steering.backToOverview')}</Link>
      </p>
      <PageHeader title={t('steeringForms.newGoal')} intro={t('steeringForms.newGoalIntro')} />
      {user?.role === 'editor' ? <PlannersOnly /> : null}
      {choices.isPending ? <Loading /> : null}
      {choices.isError ? <ErrorMessage error={choices.error} onRetry={() => void choices.refetch()} /> : null}
      {choices.data && user && user.role !== 'editor' ? (
        <GoalForm choices={choices.data} onSaved={(goal) => void navigate(paths.steeringGoal.href(goal.id))} />
      ) : null}
    </>
  );
}

export function EditGoalRoute() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { goalId = '' } = useParams();
  const user = signedInUser(useSession().data);
  const choices = useFormChoices();
  const goal = useGoal(goalId);
  const title = goal.data ? t('steeringForms.editGoalTitle', { title: goal.data.title }) : t('steeringForms.editGoal');
  useDocumentTitle(title, t('app.name'));
  return (
    <>
      <p>
        <Link to={paths.steeringGoal.href(goalId)}>{t('steeringForms.backToGoal')}</Link>
      </p>
      <PageHeader title={title} />
      {user?.role === 'editor' ? <PlannersOnly /> : null}
      {choices.isPending || goal.isPending ? <Loading /> : null}
      {choices.isError ? <ErrorMessage error={choices.error} onRetry={() => void choices.refetch()} /> : null}
      {goal.isError ? <ErrorMessage error={goal.error} onRetry={() => void goal.refetch()} /> : null}
      {choices.data && goal.data && user && user.role !== 'editor' ? (
        // Keyed by version: after someone else's change the form starts from the new state.
        <GoalForm key={goal.data.version} goal={goal.data} choices={choices.data} onSaved={(saved) => void navigate(paths.steeringGoal.href(saved.id))} />
      ) : null}
    </>
  );
}

export function NewMeasureRoute() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const goalId = search.get('ziel') ?? undefined;
  const user = signedInUser(useSession().data);
  const choices = useFormChoices();
  const goals = useGoals();
  useDocumentTitle(t('steeringForms.newMeasure'), t('app.name'));
  return (
    <>
      <p>
        <Link to={goalId ? paths.steeringGoal.href(goalId) : paths.steering.href()}>{goalId ? t('steeringForms.backToGoal') : t('steering.backToOverview')}</Link>
      </p>
      <PageHeader title={t('steeringForms.newMeasure')} intro={t('steeringForms.newMeasureIntro')} />
      {choices.isPending || goals.isPending ? <Loading /> : null}
      {choices.isError ? <ErrorMessage error={choices.error} onRetry={() => void choices.refetch()} /> : null}
      {goals.isError ? <ErrorMessage error={goals.error} onRetry={() => void goals.refetch()} /> : null}
      {choices.data && goals.data && user ? (
        <MeasureForm
          {...(goalId ? { goalId } : {})}
          goals={goals.data.items}
          choices={choices.data}
          user={user}
          onSaved={(measure) => void navigate(paths.steeringGoal.href(measure.goalIds[0]!))}
        />
      ) : null}
    </>
  );
}

export function EditMeasureRoute() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { measureId = '' } = useParams();
  const user = signedInUser(useSession().data);
  const choices = useFormChoices();
  const goals = useGoals();
  const measure = useMeasure(measureId);
  const title = measure.data ? t('steeringForms.editMeasureTitle', { title: measure.data.title }) : t('steeringForms.editMeasure');
  useDocumentTitle(title, t('app.name'));
  const firstGoal = measure.data?.goalIds[0];
  return (
    <>
      <p>
        <Link to={firstGoal ? paths.steeringGoal.href(firstGoal) : paths.steering.href()}>{firstGoal ? t('steeringForms.backToGoal') : t('steering.backToOverview')}</Link>
      </p>
      <PageHeader title={title} />
      {choices.isPending || goals.isPending || measure.isPending ? <Loading /> : null}
      {choices.isError ? <ErrorMessage error={choices.error} onRetry={() => void choices.refetch()} /> : null}
      {measure.isError ? <ErrorMessage error={measure.error} onRetry={() => void measure.refetch()} /> : null}
      {choices.data && goals.data && measure.data && user ? (
        <MeasureForm
          key={measure.data.version}
          measure={measure.data}
          goals={goals.data.items}
          choices={choices.data}
          user={user}
          onSaved={(saved) => void navigate(paths.steeringGoal.href(saved.goalIds[0]!))}
        />
      ) : null}
      {measure.data && goals.data ? <PlannedOfferPanel measure={measure.data} goals={goals.data.items} offerHref={paths.administrationOffer.href} /> : null}
      {measure.data ? (
        <section aria-labelledby="measure-history-heading">
          <h2 id="measure-history-heading">{t('steeringForms.historyHeading')}</h2>
          <SteeringHistory kind="measure" id={measure.data.id} />
        </section>
      ) : null}
    </>
  );
}
