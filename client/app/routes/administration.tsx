import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ui/error-message';
import { PageHeader } from '../../components/ui/page-header';
import { StatusMessage } from '../../components/ui/status-message';
import { useConfig } from '../../features/app-config/api/get-config';
import { DataStatus } from '../../features/app-config/components/data-status';
import { useDocumentTitle } from '../../lib/use-document-title';

export function AdministrationRoute() {
  const { t } = useTranslation();
  useDocumentTitle(t('pages.administration.title'), t('app.name'));
  const configQuery = useConfig();
  return (
    <>
      <PageHeader title={t('pages.administration.title')} intro={t('pages.administration.intro')} />
      <p className="notice">{t('pages.administration.comingSoon')}</p>
      {configQuery.isPending ? <StatusMessage>{t('status.loading')}</StatusMessage> : null}
      {configQuery.isError ? (
        <ErrorMessage error={configQuery.error} onRetry={() => void configQuery.refetch()} />
      ) : null}
      {configQuery.data ? <DataStatus status={configQuery.data.dataStatus} /> : null}
    </>
  );
}
