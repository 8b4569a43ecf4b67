import { useTranslation } from 'react-i18next';
import { useCities } from '../api/get-cities';
import './city-choice.css';

/**
 * The cities that share this portal's database (issue 13). Each portal serves one city; the others
 * are links to their own portals where their profile names one. Nothing is shown for one city.
 */
export function CityChoice() {
  const { t } = useTranslation();
  const { data } = useCities();
  if (!data || data.cities.length < 2) return null;
  return (
    <nav className="city-choice" aria-label={t('cities.label')}>
      <ul className="city-choice__list">
        {data.cities.map((city) => (
          <li key={city.id}>
            {city.current ? (
              <span className="city-choice__current" aria-current="page">
                {city.name}
              </span>
            ) : city.portalUrl ? (
              <a href={city.portalUrl} className="city-choice__link">
                {t('cities.goTo', { city: city.name })}
              </a>
            ) : (
              <span className="city-choice__other">{t('cities.withoutPortal', { city: city.name })}</span>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
