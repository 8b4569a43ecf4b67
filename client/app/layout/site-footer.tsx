import { useTranslation } from 'react-i18next';
import type { AppConfig } from '../../features/app-config/api/get-config';
import { DataAttributions } from '../../features/app-config/components/data-attributions';

type SiteFooterProps = {
  config: AppConfig | undefined;
};

export function SiteFooter({ config }: SiteFooterProps) {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <div className="container">
        <h2 className="site-footer__heading">{t('footer.dataSources')}</h2>
        {config ? <DataAttributions attributions={config.attributions} /> : null}
        <p>{t('footer.mapRendering')}</p>
        {config?.basemapStyleUrl ? <p>{t('footer.basemapNotice')}</p> : null}
        <p className="site-footer__about">
          {t('footer.about')}
          {config ? <> {t('footer.version', { version: config.version })}</> : null}
        </p>
      </div>
    </footer>
  );
}
