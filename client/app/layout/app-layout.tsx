import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation } from 'react-router';
import { useConfig } from '../../features/app-config/api/get-config';
import { SiteFooter } from './site-footer';
import { SiteHeader } from './site-header';

const mainContentId = 'main-content';

export function AppLayout() {
  const { t } = useTranslation();
  const configQuery = useConfig();
  const { pathname } = useLocation();
  const previousPathname = useRef(pathname);

  // After a client-side page change, focus goes to the new page's heading so that keyboard and
  // screen reader users start reading there (the first render keeps the browser's default).
  useEffect(() => {
    if (previousPathname.current === pathname) return;
    previousPathname.current = pathname;
    document.querySelector<HTMLElement>(`#${mainContentId} h1`)?.focus();
  }, [pathname]);

  return (
    <>
      <a className="skip-link" href={`#${mainContentId}`}>
        {t('app.skipToContent')}
      </a>
      <SiteHeader cityName={configQuery.data?.city.name ?? null} />
      <main id={mainContentId} tabIndex={-1} className="site-main container">
        <Outlet />
      </main>
      <SiteFooter config={configQuery.data} />
    </>
  );
}
