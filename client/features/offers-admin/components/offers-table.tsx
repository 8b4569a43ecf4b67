import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Offer, OfferSort } from '../../../../server/offers/offers.schema';
import { paths } from '../../../config/paths';
import { pageSelection } from '../utils/bulk-selection';
import { nextSort, sortDirection, type SortableColumn } from '../utils/offer-list-params';
import type { TermLabels } from '../utils/terms';
import { StaleBadge, StatusBadge } from './stale-badge';

type OffersTableProps = {
  offers: readonly Offer[];
  sort: OfferSort;
  offerTypeLabels: TermLabels;
  onSort: (sort: OfferSort) => void;
  formatDate: (iso: string) => string;
  /** Checkboxes for bulk publishing; rows that cannot be published get none. */
  selection?: RowSelection;
};

export type RowSelection = {
  selectable: (offer: Offer) => boolean;
  selected: ReadonlyMap<string, number>;
  onToggle: (offer: Offer) => void;
  onToggleAll: () => void;
};

function SelectAllBox({ offers, selection }: { offers: readonly Offer[]; selection: RowSelection }) {
  const { t } = useTranslation();
  const box = useRef<HTMLInputElement>(null);
  const selectableIds = offers.filter(selection.selectable).map((offer) => offer.id);
  const state = pageSelection(selectableIds, selection.selected);
  useEffect(() => {
    // "Some rows ticked" has no HTML attribute; screen readers announce the property as "mixed".
    if (box.current) box.current.indeterminate = state === 'some';
  }, [state]);
  return (
    <th scope="col" className="offers-table__select">
      <input
        ref={box}
        type="checkbox"
        checked={state === 'all'}
        disabled={selectableIds.length === 0}
        onChange={selection.onToggleAll}
        aria-label={t('offersAdmin.bulkPublish.selectAll')}
      />
    </th>
  );
}

function SortHeader({
  column,
  label,
  sort,
  onSort,
}: {
  column: SortableColumn;
  label: string;
  sort: OfferSort;
  onSort: (sort: OfferSort) => void;
}) {
  const { t } = useTranslation();
  const direction = sortDirection(sort, column);
  const arrow = direction === 'ascending' ? '▲' : direction === 'descending' ? '▼' : '';
  return (
    <th scope="col" aria-sort={direction}>
      <button type="button" className="offers-table__sort" onClick={() => onSort(nextSort(sort, column))}>
        {label}
        <span aria-hidden="true" className="offers-table__sort-arrow">
          {arrow || '↕'}
        </span>
        <span className="visually-hidden">
          {direction === 'none' ? t('offersAdmin.table.sortable') : t(`offersAdmin.table.sorted.${direction}`)}
        </span>
      </button>
    </th>
  );
}

export function OffersTable({ offers, sort, offerTypeLabels, onSort, formatDate, selection }: OffersTableProps) {
  const { t } = useTranslation();
  const captionId = useId();
  return (
    <div className="offers-table" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table>
        <caption id={captionId}>{t('offersAdmin.table.caption')}</caption>
        <thead>
          <tr>
            {selection ? <SelectAllBox offers={offers} selection={selection} /> : null}
            <SortHeader column="name" label={t('offersAdmin.table.columnName')} sort={sort} onSort={onSort} />
            <th scope="col">{t('offersAdmin.table.columnType')}</th>
            <th scope="col">{t('offersAdmin.table.columnDepartment')}</th>
            <th scope="col">{t('offersAdmin.table.columnStatus')}</th>
            <SortHeader column="verifiedAt" label={t('offersAdmin.table.columnVerified')} sort={sort} onSort={onSort} />
            <SortHeader column="updatedAt" label={t('offersAdmin.table.columnUpdated')} sort={sort} onSort={onSort} />
          </tr>
        </thead>
        <tbody>
          {offers.map((offer) => (
            <tr key={offer.id} data-offer-id={offer.id}>
              {selection ? (
                <td className="offers-table__select">
                  {selection.selectable(offer) ? (
                    <input
                      type="checkbox"
                      checked={selection.selected.has(offer.id)}
                      onChange={() => selection.onToggle(offer)}
                      aria-label={t('offersAdmin.bulkPublish.select', { name: offer.name })}
                    />
                  ) : null}
                </td>
              ) : null}
              <th scope="row">
                <Link to={paths.administrationOffer.href(offer.id)}>{offer.name}</Link>
                {offer.locations[0]?.sozialraum ? (
                  <span className="offers-table__area">{offer.locations[0].sozialraum.name}</span>
                ) : null}
              </th>
              <td>{offerTypeLabels.get(offer.offerType) ?? offer.offerType}</td>
              <td>
                <abbr title={offer.department.name}>{offer.department.code}</abbr>
              </td>
              <td>
                <span className="offers-table__badges">
                  <StatusBadge tone={offer.publication === 'published' ? 'success' : 'neutral'}>
                    {t(`offersAdmin.publications.${offer.publication}`)}
                  </StatusBadge>
                  {offer.status !== 'active' ? (
                    <StatusBadge tone="muted">{t(`offersAdmin.statuses.${offer.status}`)}</StatusBadge>
                  ) : null}
                  {offer.archivedAt ? <StatusBadge tone="muted">{t('offersAdmin.table.archived')}</StatusBadge> : null}
                </span>
              </td>
              <td>
                {offer.verifiedAt ? formatDate(offer.verifiedAt) : t('offersAdmin.table.never')}
                {offer.stale ? (
                  <>
                    {' '}
                    <StaleBadge />
                  </>
                ) : null}
              </td>
              <td>{formatDate(offer.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
