import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

type PaginationProps = {
  page: number;
  pages: number;
  hrefForPage: (page: number) => string;
};

// Links (not buttons): every page has its own URL and can be opened in a new tab.
export function Pagination({ page, pages, hrefForPage }: PaginationProps) {
  const { t } = useTranslation();
  if (pages <= 1) return null;
  return (
    <nav className="pagination" aria-label={t('offersAdmin.pagination.label')}>
      {page > 1 ? (
        <Link className="button button--secondary button--small" to={hrefForPage(page - 1)} rel="prev">
          {t('offersAdmin.pagination.previous')}
        </Link>
      ) : null}
      <span className="pagination__status" aria-current="page">
        {t('offersAdmin.pagination.status', { page, pages })}
      </span>
      {page < pages ? (
        <Link className="button button--secondary button--small" to={hrefForPage(page + 1)} rel="next">
          {t('offersAdmin.pagination.next')}
        </Link>
      ) : null}
    </nav>
  );
}
