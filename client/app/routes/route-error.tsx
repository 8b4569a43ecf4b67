import { useTranslation } from 'react-i18next';
import { useRouteError } from 'react-router';
import { ErrorMessage } from '../../components/ui/error-message';
import { PageHeader } from '../../components/ui/page-header';

// Shown inside the layout when a page throws while rendering; header and footer stay usable.
export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  console.error('Page error:', error);
  return (
    <>
      <PageHeader title={t('errors.pageCrashed')} />
      <ErrorMessage error={error} onRetry={() => window.location.reload()} />
    </>
  );
}
