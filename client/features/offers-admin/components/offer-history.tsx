import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../../../server/auth/auth.schema';
import type { Offer } from '../../../../server/offers/offers.schema';
import type { Taxonomy } from '../../../../server/taxonomies/taxonomies.schema';
import { ErrorMessage } from '../../../components/ui/error-message';
import { StatusMessage } from '../../../components/ui/status-message';
import { ApiProblem } from '../../../lib/api-client';
import { useOfferHistory, type HistoryEntry } from '../api/get-offer-history';
import { useRestoreOfferVersion } from '../api/restore-offer-version';
import { useDateFormat } from '../hooks/use-date-format';
import { useHistoryFormat } from '../hooks/use-history-format';
import { formatHistoryValue, orderedChanges } from '../utils/history-format';
import { canEditOffer } from '../utils/permissions';
import './offers-admin.css';

type OfferHistoryProps = {
  offer: Offer;
  user: SessionUser;
  taxonomies: readonly Taxonomy[];
  areaNames: ReadonlyMap<string, string>;
};

const knownActions = [
  'offer.created',
  'offer.updated',
  'offer.published',
  'offer.unpublished',
  'offer.archived',
  'offer.restored',
  'offer.verified',
  'offer.version_restored',
  'offer.imported',
] as const;

function actionKey(action: string) {
  return (knownActions as readonly string[]).includes(action)
    ? (action.replace('.', '_') as `offer_${string}`)
    : null;
}

// Every change of an offer, newest first, with the fields it changed (before → after).
export function OfferHistory({ offer, user, taxonomies, areaNames }: OfferHistoryProps) {
  const { t } = useTranslation();
  const historyQuery = useOfferHistory(offer.id);
  const restore = useRestoreOfferVersion();
  const formatDateTime = useDateFormat(true);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const items = historyQuery.data?.items;
  // verifiedBy holds a user id; the history's own entries say who that was.
  const userLabels = useMemo(
    () => new Map((items ?? []).flatMap((item) => (item.actor.id ? [[item.actor.id, item.actor.label] as const] : []))),
    [items],
  );
  const { context, fieldLabel } = useHistoryFormat(taxonomies, areaNames, userLabels);
  const canRestore = canEditOffer(user, offer);
  const newestFirst = useMemo(() => [...(items ?? [])].reverse(), [items]);

  function actionLabel(entry: HistoryEntry) {
    const key = actionKey(entry.action);
    return key ? t(`offersAdmin.history.actions.${key as 'offer_created'}`) : entry.action;
  }

  function runRestore(version: number) {
    setMessage(null);
    restore.mutate(
      { offerId: offer.id, currentVersion: offer.version, version },
      {
        onSuccess: (saved) => {
          setConfirming(null);
          setMessage({ text: t('offersAdmin.history.restored', { version, newVersion: saved.version }), error: false });
        },
        onError: (error) => {
          setConfirming(null);
          const text =
            error instanceof ApiProblem && error.status === 412
              ? t('offersAdmin.actions.changedMeanwhile')
              : error instanceof ApiProblem && error.problem?.detail
                ? error.problem.detail
                : t('errors.unexpected');
          setMessage({ text, error: true });
        },
      },
    );
  }

  return (
    <div className="offer-history">
      <p className={message?.error ? 'field-error' : 'offer-history__message'} role="status">
        {message?.text ?? ''}
      </p>
      {historyQuery.isPending ? <StatusMessage>{t('offersAdmin.history.loading')}</StatusMessage> : null}
      {historyQuery.isError ? <ErrorMessage error={historyQuery.error} onRetry={() => void historyQuery.refetch()} /> : null}
      {items && items.length === 0 ? <p>{t('offersAdmin.history.empty')}</p> : null}
      <ol className="offer-history__list">
        {newestFirst.map((entry) => {
          const version = entry.version;
          const restoredFrom = entry.details?.restoredFromVersion;
          const headingId = `history-entry-${entry.id}`;
          const isCurrent = version === offer.version;
          const created = entry.action === 'offer.created';
          const changes = orderedChanges(entry.changes, created);
          return (
            <li key={entry.id} className="offer-history__entry">
              <article aria-labelledby={headingId}>
                <h2 id={headingId} className="offer-history__title">
                  {version !== null
                    ? t('offersAdmin.history.entryTitle', { version, action: actionLabel(entry) })
                    : actionLabel(entry)}
                  {isCurrent ? <span className="badge badge--success">{t('offersAdmin.history.current')}</span> : null}
                </h2>
                <p className="offer-history__meta">
                  {t('offersAdmin.history.by', { date: formatDateTime(entry.occurredAt), actor: entry.actor.label })}
                  {typeof restoredFrom === 'number' ? ` · ${t('offersAdmin.history.restoredFrom', { version: restoredFrom })}` : ''}
                </p>
                {changes.length > 0 ? (
                  <div className="history-table" role="region" aria-labelledby={`${headingId}-caption`} tabIndex={0}>
                    <table>
                      <caption id={`${headingId}-caption`}>
                        {t('offersAdmin.history.caption', { version: version ?? '–' })}
                      </caption>
                      <thead>
                        <tr>
                          <th scope="col">{t('offersAdmin.history.columnField')}</th>
                          <th scope="col">{t('offersAdmin.history.columnBefore')}</th>
                          <th scope="col">{t('offersAdmin.history.columnAfter')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {changes.map((change) => (
                          <tr key={change.field}>
                            <th scope="row">{fieldLabel(change.field)}</th>
                            <td className="history-table__before">
                              {created ? context.none : formatHistoryValue(change.field, change.before, context)}
                            </td>
                            <td className="history-table__after">{formatHistoryValue(change.field, change.after, context)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                ) : (
                  <p>{t('offersAdmin.history.noChanges')}</p>
                )}
                {canRestore && version !== null && !isCurrent ? (
                  confirming === version ? (
                    <div className="offer-history__confirm" role="group" aria-labelledby={`${headingId}-confirm`}>
                      <p id={`${headingId}-confirm`}>{t('offersAdmin.history.confirmRestore', { version })}</p>
                      <div className="form-actions">
                        <button
                          type="button"
                          className="button"
                          disabled={restore.isPending}
                          onClick={() => runRestore(version)}
                          // The confirmation replaces the button that opened it; focus follows.
                          autoFocus
                        >
                          {t('offersAdmin.history.confirm')}
                        </button>
                        <button type="button" className="button button--secondary" onClick={() => setConfirming(null)}>
                          {t('offersAdmin.history.cancel')}
                        </button>
                      </div>
                    </div>
                  ) : (
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      onClick={() => setConfirming(version)}
                    >
                      {t('offersAdmin.history.restore', { version })}
                    </button>
                  )
                ) : null}
              </article>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
