import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorMessage } from '../../components/ui/error-message';
import { PageHeader } from '../../components/ui/page-header';
import { StatusMessage } from '../../components/ui/status-message';
import { paths } from '../../config/paths';
import { useConfig } from '../../features/app-config/api/get-config';
import { DataStatus } from '../../features/app-config/components/data-status';
import { signedInUser, useSession } from '../../features/auth/api/get-session';
import { useDocumentTitle } from '../../lib/use-document-title';
import { staleAfterMonths } from '../../../server/offers/offers.schema';

// The staff area's start page: open to everyone (it says what the area is for and where to sign
// in); the pages below it need a session.
export function AdministrationRoute() {
  const { t } = useTranslation();
  useDocumentTitle(t('pages.administration.title'), t('app.name'));
  const configQuery = useConfig();
  const sessionQuery = useSession();
  const user = signedInUser(sessionQuery.data);
  return (
    <>
      <PageHeader title={t('pages.administration.title')} intro={t('pages.administration.intro')} />
      {sessionQuery.isPending ? <StatusMessage>{t('auth.checkingSession')}</StatusMessage> : null}
      {sessionQuery.isError ? <ErrorMessage error={sessionQuery.error} onRetry={() => void sessionQuery.refetch()} /> : null}
      {sessionQuery.isSuccess && !user ? (
        <section className="card" aria-labelledby="administration-sign-in-heading">
          <h2 id="administration-sign-in-heading">{t('pages.administration.signInHeading')}</h2>
          <p>{t('pages.administration.signInPrompt')}</p>
          <p>
            <Link className="button" to={paths.signIn.href()}>
              {t('pages.administration.signInLink')}
            </Link>
          </p>
        </section>
      ) : null}
      {user ? (
        <section aria-labelledby="administration-tasks-heading">
          <h2 id="administration-tasks-heading">{t('pages.administration.tasksHeading')}</h2>
          <ul className="task-list">
            <li className="card">
              <Link to={paths.administrationOffers.href()} className="task-list__link">
                {t('pages.administration.offersLink')}
              </Link>
              <p>{t('pages.administration.offersLinkText')}</p>
            </li>
            <li className="card">
              <Link to={paths.administrationOffers.href('stale=true&sort=verifiedAt')} className="task-list__link">
                {t('pages.administration.staleLink')}
              </Link>
              <p>{t('pages.administration.staleLinkText', { months: staleAfterMonths })}</p>
            </li>
            <li className="card">
              <Link to={paths.administrationAccounts.href()} className="task-list__link">
                {t('pages.administration.accountsLink')}
              </Link>
              <p>{t('pages.administration.accountsLinkText')}</p>
            </li>
            {user.role !== 'planner' ? (
              <>
                <li className="card">
                  <Link to={paths.administrationNewOffer.href()} className="task-list__link">
                    {t('pages.administration.newOfferLink')}
                  </Link>
                  <p>{t('pages.administration.newOfferLinkText')}</p>
                </li>
                <li className="card">
                  <Link to={paths.administrationImport.href()} className="task-list__link">
                    {t('pages.administration.importLink')}
                  </Link>
                  <p>{t('pages.administration.importLinkText')}</p>
                </li>
              </>
            ) : null}
          </ul>
        </section>
      ) : null}
      {configQuery.isPending ? <StatusMessage>{t('status.loading')}</StatusMessage> : null}
      {configQuery.isError ? (
        <ErrorMessage error={configQuery.error} onRetry={() => void configQuery.refetch()} />
      ) : null}
      {configQuery.data ? <DataStatus status={configQuery.data.dataStatus} /> : null}
    </>
  );
}
