import { useTranslation } from 'react-i18next';
import type { BulkPublishRefusal, Offer } from '../../../../server/offers/offers.schema';
import { ErrorMessage } from '../../../components/ui/error-message';
import { ApiProblem } from '../../../lib/api-client';

type BulkPublishBarProps = {
  count: number;
  pending: boolean;
  publishedCount: number | null;
  error: unknown;
  offers: readonly Offer[];
  onPublish: () => void;
  onClear: () => void;
};

function refusalsOf(error: unknown): BulkPublishRefusal[] {
  if (!(error instanceof ApiProblem)) return [];
  const offers = (error.problem as { offers?: unknown } | undefined)?.offers;
  return Array.isArray(offers) ? (offers as BulkPublishRefusal[]) : [];
}

// The bar above the staff list: how many rows are ticked and one button to publish them.
export function BulkPublishBar({ count, pending, publishedCount, error, offers, onPublish, onClear }: BulkPublishBarProps) {
  const { t } = useTranslation();
  const refusals = refusalsOf(error);
  const names = new Map(offers.map((offer) => [offer.id, offer.name] as const));
  return (
    <div className="offer-list__bulk" role="group" aria-label={t('offersAdmin.bulkPublish.label')}>
      <p className="offer-list__bulk-count" aria-live="polite">
        {t('offersAdmin.bulkPublish.selected', { count })}
      </p>
      <button type="button" className="button" disabled={count === 0 || pending} onClick={onPublish}>
        {pending ? t('offersAdmin.bulkPublish.publishing') : t('offersAdmin.bulkPublish.publish', { count })}
      </button>
      {count > 0 ? (
        <button type="button" className="button button--secondary" onClick={onClear}>
          {t('offersAdmin.bulkPublish.clear')}
        </button>
      ) : null}
      <p className="offer-list__bulk-result" role="status">
        {publishedCount !== null ? t('offersAdmin.bulkPublish.done', { count: publishedCount }) : ''}
      </p>
      {error ? (
        refusals.length > 0 ? (
          <div className="error-message" role="alert">
            <p className="error-message__title">{(error as ApiProblem).message}</p>
            <ul>
              {refusals.map((refusal) => (
                <li key={refusal.id}>
                  <strong>{names.get(refusal.id) ?? t('offersAdmin.bulkPublish.unknownOffer')}</strong>: {refusal.message}
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <ErrorMessage error={error} />
        )
      ) : null}
    </div>
  );
}
