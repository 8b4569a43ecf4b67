import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { SessionUser } from '../../../../server/auth/auth.schema';
import { ErrorMessage } from '../../../components/ui/error-message';
import { StatusMessage } from '../../../components/ui/status-message';
import { paths } from '../../../config/paths';
import { useQueryString } from '../../../lib/use-query-string';
import { useDepartments } from '../api/get-departments';
import { useOffers } from '../api/list-offers';
import { usePublishOffers } from '../api/publish-offers';
import { useTaxonomies } from '../api/get-taxonomies';
import { canBulkPublish, toggleAll, toggleOne } from '../utils/bulk-selection';
import { canCreateOffers } from '../utils/permissions';
import {
  exportFormats,
  exportHref,
  pageCount,
  readOfferListParams,
  withFilter,
  writeOfferListParams,
  type OfferListParams,
} from '../utils/offer-list-params';
import { termLabels, termsOf } from '../utils/terms';
import { useDateFormat } from '../hooks/use-date-format';
import { BulkPublishBar } from './bulk-publish-bar';
import { OfferFilters } from './offer-filters';
import { OffersTable } from './offers-table';
import { Pagination } from './pagination';
import './offers-admin.css';

const emptySelection: ReadonlyMap<string, number> = new Map();

type OfferListProps = {
  user: SessionUser;
};

// The staff's table of offers. Its whole view lives in the URL (?type=…&stale=true&page=2).
export function OfferList({ user }: OfferListProps) {
  const { t, i18n } = useTranslation();
  const [searchParams, changeQueryString] = useQueryString();
  const params = useMemo(() => readOfferListParams(searchParams), [searchParams]);
  const offersQuery = useOffers(params);
  const taxonomiesQuery = useTaxonomies();
  const departmentsQuery = useDepartments();
  const formatDate = useDateFormat();

  const offerTypes = useMemo(() => termsOf(taxonomiesQuery.data?.taxonomies ?? [], 'offer_type'), [taxonomiesQuery.data]);
  const offerTypeLabels = useMemo(() => termLabels(offerTypes, i18n.language), [offerTypes, i18n.language]);

  const update = useCallback(
    (change: (current: OfferListParams) => OfferListParams) =>
      changeQueryString((current) => writeOfferListParams(change(readOfferListParams(current)))),
    [changeQueryString],
  );

  const page = offersQuery.data;

  // Ticked rows (id → the version shown, sent as the ETag) belong to the page in view.
  // Another page, filter or order starts with nothing ticked.
  const queryString = searchParams.toString();
  const [selection, setSelection] = useState<{ view: string; ids: ReadonlyMap<string, number> }>({ view: queryString, ids: new Map() });
  const selected = selection.view === queryString ? selection.ids : emptySelection;
  const setSelected = (change: ReadonlyMap<string, number> | ((current: ReadonlyMap<string, number>) => ReadonlyMap<string, number>)) =>
    setSelection((current) => {
      const ids = current.view === queryString ? current.ids : emptySelection;
      return { view: queryString, ids: typeof change === 'function' ? change(ids) : change };
    });
  const [publishedCount, setPublishedCount] = useState<number | null>(null);
  const publishOffers = usePublishOffers();
  const selectableOffers = useMemo(() => (page?.items ?? []).filter((offer) => canBulkPublish(user, offer)), [page, user]);
  const mayPublish = user.role !== 'planner';
  const publishSelected = () => {
    setPublishedCount(null);
    publishOffers.mutate(
      { offers: [...selected].map(([id, version]) => ({ id, version })) },
      {
        onSuccess: (result) => {
          setSelected(new Map());
          setPublishedCount(result.items.length);
        },
      },
    );
  };

  const pages = page ? pageCount(page.total, page.pageSize) : 1;
  const hrefForPage = (target: number) =>
    paths.administrationOffers.href(writeOfferListParams({ ...params, page: target }).toString());

  return (
    <div className="offer-list">
      {canCreateOffers(user) ? (
        <p className="offer-list__actions">
          <Link className="button" to={paths.administrationNewOffer.href()}>
            {t('offersAdmin.table.newOffer')}
          </Link>
        </p>
      ) : null}
      <OfferFilters
        params={params}
        offerTypes={offerTypes}
        departments={departmentsQuery.data?.items ?? []}
        onChange={(change) => update((current) => withFilter(current, change))}
      />
      <p className="offer-list__count" role="status">
        {page
          ? page.total === 0
            ? t('offersAdmin.table.empty')
            : t('offersAdmin.table.count', { count: page.total })
          : ''}
      </p>
      {offersQuery.isPending ? <StatusMessage>{t('offersAdmin.table.loading')}</StatusMessage> : null}
      {offersQuery.isError ? <ErrorMessage error={offersQuery.error} onRetry={() => void offersQuery.refetch()} /> : null}
      {page && page.items.length > 0 ? (
        <>
          {mayPublish ? (
            <BulkPublishBar
              count={selected.size}
              pending={publishOffers.isPending}
              publishedCount={publishedCount}
              error={publishOffers.error}
              offers={page.items}
              onPublish={publishSelected}
              onClear={() => setSelected(new Map())}
            />
          ) : null}
          <OffersTable
            offers={page.items}
            {...(mayPublish
              ? {
                  selection: {
                    selectable: (offer) => canBulkPublish(user, offer),
                    selected,
                    onToggle: (offer) => {
                      publishOffers.reset();
                      setPublishedCount(null);
                      setSelected((current) => toggleOne(offer, current));
                    },
                    onToggleAll: () => setSelected((current) => toggleAll(selectableOffers, current)),
                  },
                }
              : {})}
            sort={params.sort}
            offerTypeLabels={offerTypeLabels}
            onSort={(sort) => update((current) => ({ ...current, sort, page: 1 }))}
            formatDate={formatDate}
          />
          <Pagination page={params.page} pages={pages} hrefForPage={hrefForPage} />
          <p className="offer-list__export">
            {t('offersAdmin.export.label')}{' '}
            {exportFormats.map((format, index) => (
              <span key={format}>
                {index > 0 ? ' · ' : null}
                <a href={exportHref(params, format)} download>
                  {t(`offersAdmin.export.formats.${format}`)}
                </a>
              </span>
            ))}
          </p>
        </>
      ) : null}
    </div>
  );
}
