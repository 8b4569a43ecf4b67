import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeader } from '../../components/ui/page-header';
import { paths } from '../../config/paths';
import { useDocumentTitle } from '../../lib/use-document-title';

export function NotFoundRoute() {
  const { t } = useTranslation();
  useDocumentTitle(t('pages.notFound.title'), t('app.name'));
  return (
    <>
      <PageHeader title={t('pages.notFound.title')} intro={t('pages.notFound.text')} />
      <p>
        <Link to={paths.findOffers.href()}>{t('pages.notFound.backHome')}</Link>
      </p>
    </>
  );
}
