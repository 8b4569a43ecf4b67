import { useTranslation } from 'react-i18next';
import { Link, NavLink, useLocation, useNavigate } from 'react-router';
import { paths } from '../../config/paths';
import { SessionMenu } from '../../features/auth/components/session-menu';
import { CityChoice } from '../../features/cities/components/city-choice';
import { LanguageSwitch } from './language-switch';

type SiteHeaderProps = {
  cityName: string | null;
};

export function SiteHeader({ cityName }: SiteHeaderProps) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const navigation = [
    { to: paths.findOffers.href(), label: t('navigation.findOffers'), end: true },
    { to: paths.planning.href(), label: t('navigation.planning'), end: false },
    { to: paths.goals.href(), label: t('steering.navigation'), end: false },
    { to: paths.administration.href(), label: t('navigation.administration'), end: false },
  ];
  return (
    <header className="site-header">
      <div className="site-header__bar container">
        <Link to={paths.findOffers.href()} className="site-header__brand">
          <span className="site-header__name">{t('app.name')}</span>
          <span className="site-header__tagline">
            {cityName ? t('app.tagline', { city: cityName }) : t('app.taglineWithoutCity')}
          </span>
        </Link>
        <div className="site-header__tools">
          <SessionMenu
            active={pathname.startsWith(paths.administration.path)}
            onSignedOut={() => void navigate(paths.administration.href())}
          />
          <CityChoice />
          <LanguageSwitch />
        </div>
      </div>
      <nav className="site-nav" aria-label={t('app.mainNavigation')}>
        <ul className="site-nav__list container">
          {navigation.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to} end={item.end} className="site-nav__link">
                {item.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}
