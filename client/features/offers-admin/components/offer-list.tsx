import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { SessionUser } from '../../../../server/auth/auth.schema';
import { ErrorMessage } from '../../../components/ui/error-message';
import { StatusMessage } from '../../../components/ui/status-message';
import { paths } from '../../../config/paths';
import { useQueryString } from '../../../lib/use-query-string';
import { useDepartments } from '../api/get-departments';
import { useOffers } from '../api/list-offers';
import { useTaxonomies } from '../api/get-taxonomies';
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
import { OfferFilters } from './offer-filters';
import { OffersTable } from './offers-table';
import { Pagination } from './pagination';
import './offers-admin.css';

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
          <OffersTable
            offers={page.items}
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
