import '../steering.css';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Goal, Measure } from '../../../../server/steering/steering.schema';
import { ErrorMessage } from '../../../components/ui/error-message';
import { useExpectedEffect, useOpenMeasure } from '../api/edit-steering';
import { formatFigure } from '../utils/format';
import { formProblemOf } from '../utils/problem-fields';

/**
 * A planned new offer: its expected effect on each coverage goal (the what-if engine), and the
 * step that opens it as a real draft offer of the measure's department.
 */
export function PlannedOfferPanel({ measure, goals, offerHref }: { measure: Measure; goals: readonly Goal[]; offerHref: (offerId: string) => string }) {
  const { t, i18n } = useTranslation();
  const effect = useExpectedEffect(measure.id, measure.plannedOffer !== null);
  const open = useOpenMeasure();
  const [message, setMessage] = useState<string | null>(null);
  if (!measure.plannedOffer) return null;
  return (
    <section aria-labelledby="planned-offer-heading">
      <h2 id="planned-offer-heading">{t('steeringForms.effectHeading', { name: measure.plannedOffer.name })}</h2>
      {effect.isPending ? <p role="status">{t('status.loading')}</p> : null}
      {effect.isError ? <ErrorMessage error={effect.error} onRetry={() => void effect.refetch()} /> : null}
      {effect.data ? (
        effect.data.items.length === 0 ? (
          <p className="steering-muted">{t('steeringForms.noEffect')}</p>
        ) : (
          <ul>
            {effect.data.items.map((item) => {
              const goal = goals.find((candidate) => candidate.id === item.goalId);
              const unit = goal?.unit ?? 'percent';
              return (
                <li key={item.goalId}>
                  {t('steeringForms.effect', {
                    goal: goal?.title ?? item.goalId,
                    before: formatFigure(item.before, unit, i18n.language, t),
                    after: formatFigure(item.after, unit, i18n.language, t),
                    change: formatFigure(item.change, unit, i18n.language, t),
                  })}
                </li>
              );
            })}
          </ul>
        )
      ) : null}
      {measure.offerId ? (
        <p>
          <Link to={offerHref(measure.offerId)}>{t('steeringForms.openedOffer')}</Link>
        </p>
      ) : (
        <button
          type="button"
          className="button"
          disabled={open.isPending}
          onClick={() =>
            open.mutate(
              { id: measure.id, version: measure.version },
              {
                onSuccess: () => setMessage(t('steeringForms.opened')),
                onError: (error) => setMessage(formProblemOf(error, t('steeringForms.saveFailed')).general ?? t('steeringForms.saveFailed')),
              },
            )
          }
        >
          {t('steeringForms.openOffer')}
        </button>
      )}
      <p role="status" className="steering-status-message">
        {message}
      </p>
    </section>
  );
}
