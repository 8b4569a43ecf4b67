import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Offer } from '../../../../server/offers/offers.schema';
import { paths } from '../../../config/paths';
import { ApiProblem } from '../../../lib/api-client';
import { useOfferAction, type OfferAction } from '../api/offer-action';
import { useDateFormat } from '../hooks/use-date-format';
import { staleAfterMonths } from '../../../../server/offers/offers.schema';
import { StaleBadge } from './stale-badge';

type OfferActionsProps = {
  offer: Offer;
  canEdit: boolean;
  // Unsaved edits: state changes would be based on the stored version, so the person is told.
  dirty: boolean;
};

// Publication, archive and verification: each is its own change with its own history entry.
export function OfferActions({ offer, canEdit, dirty }: OfferActionsProps) {
  const { t } = useTranslation();
  const formatDate = useDateFormat();
  const action = useOfferAction();
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const archived = offer.archivedAt !== null;

  function run(name: OfferAction) {
    setMessage(null);
    action.mutate(
      { offerId: offer.id, version: offer.version, action: name },
      {
        onSuccess: (saved) =>
          setMessage({
            text: t(`offersAdmin.actions.done.${name}`, { date: saved.verifiedAt ? formatDate(saved.verifiedAt) : '' }),
            error: false,
          }),
        onError: (error) => {
          let text = t('errors.unexpected');
          if (error instanceof ApiProblem && error.status === 412) text = t('offersAdmin.actions.changedMeanwhile');
          else if (error instanceof ApiProblem && error.problem?.detail) text = error.problem.detail;
          setMessage({ text, error: true });
        },
      },
    );
  }

  const buttons: Array<{ name: OfferAction; show: boolean; secondary?: boolean }> = [
    { name: 'publish', show: !archived && offer.publication === 'draft' },
    { name: 'unpublish', show: !archived && offer.publication === 'published', secondary: true },
    { name: 'verify', show: !archived, secondary: offer.publication === 'draft' },
    { name: 'archive', show: !archived, secondary: true },
    { name: 'restore', show: archived },
  ];

  return (
    <section className="offer-actions" aria-labelledby="offer-actions-heading">
      <h2 id="offer-actions-heading">{t('offersAdmin.actions.heading')}</h2>
      <dl className="offer-actions__facts">
        <div>
          <dt>{t('offersAdmin.fields.publication')}</dt>
          <dd>
            {t(`offersAdmin.publications.${offer.publication}`)}
            {archived ? ` · ${t('offersAdmin.table.archived')}` : ''}
          </dd>
        </div>
        <div>
          <dt>{t('offersAdmin.fields.verifiedAt')}</dt>
          <dd>
            {offer.verifiedAt ? formatDate(offer.verifiedAt) : t('offersAdmin.table.never')}
            {offer.verifiedBy?.email ? ` (${offer.verifiedBy.email})` : ''}
            {offer.stale ? (
              <>
                {' '}
                <StaleBadge />
              </>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>{t('offersAdmin.actions.version')}</dt>
          <dd>
            {offer.version} · {t('offersAdmin.actions.updated', { date: formatDate(offer.updatedAt) })}
          </dd>
        </div>
      </dl>
      {archived ? <p className="notice">{t('offersAdmin.actions.archivedNotice')}</p> : null}
      {offer.stale && !archived ? (
        <p className="notice">
          {offer.verifiedAt ? t('offersAdmin.actions.staleNotice', { months: staleAfterMonths }) : t('offersAdmin.actions.neverVerifiedNotice')}
        </p>
      ) : null}
      {canEdit ? (
        <>
          {dirty ? <p className="form-field__hint">{t('offersAdmin.actions.dirtyHint')}</p> : null}
          <div className="form-actions">
            {buttons
              .filter((button) => button.show)
              .map((button) => (
                <button
                  key={button.name}
                  type="button"
                  className={`button${button.secondary ? ' button--secondary' : ''}`}
                  disabled={action.isPending}
                  onClick={() => run(button.name)}
                >
                  {t(`offersAdmin.actions.${button.name}`)}
                </button>
              ))}
          </div>
        </>
      ) : null}
      <p className={message?.error ? 'offer-actions__message field-error' : 'offer-actions__message'} role="status">
        {message?.text ?? ''}
      </p>
      <p>
        <Link to={paths.administrationOfferHistory.href(offer.id)}>{t('offersAdmin.actions.history')}</Link>
      </p>
    </section>
  );
}
