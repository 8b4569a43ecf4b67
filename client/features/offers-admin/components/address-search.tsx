import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../../components/ui/error-message';
import { useAddressResults } from '../api/geocode-address';

export type AddressChoice = {
  label: string;
  street: string | null;
  houseNumber: string | null;
  lon: number;
  lat: number;
};

type AddressSearchProps = {
  idPrefix: string;
  onChoose: (choice: AddressChoice) => void;
};

function searchable(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.length >= 2 && /\p{L}/u.test(trimmed);
}

// Address lookup with the city's own geocoder (street segments, no third party). Searching is
// an explicit step (button or Enter), and the results are a plain list of buttons: simple to use
// with a keyboard and a screen reader. Without a geocoder the form says so and goes on.
export function AddressSearch({ idPrefix, onChoose }: AddressSearchProps) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [submitted, setSubmitted] = useState<string | null>(null);
  const [tooShort, setTooShort] = useState(false);
  const resultsQuery = useAddressResults(submitted);
  const inputId = `${idPrefix}-input`;

  function search() {
    if (!searchable(text)) {
      setTooShort(true);
      setSubmitted(null);
      return;
    }
    setTooShort(false);
    setSubmitted(text.trim());
  }

  function handleKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    // Enter searches here instead of sending the whole offer form.
    if (event.key === 'Enter') {
      event.preventDefault();
      search();
    }
  }

  const results = resultsQuery.data;
  let status = '';
  if (tooShort) status = t('offersAdmin.form.addressTooShort');
  else if (submitted && resultsQuery.isFetching) status = t('offersAdmin.form.addressSearching');
  else if (results && !results.available) status = t('offersAdmin.form.addressUnavailable');
  else if (results && results.features.length === 0) status = t('offersAdmin.form.addressNoResults');
  else if (results) status = t('offersAdmin.form.addressResults', { count: results.features.length });

  return (
    <div className="address-search">
      <div className="form-field">
        <label htmlFor={inputId}>{t('offersAdmin.form.addressSearch')}</label>
        <p id={`${inputId}-hint`} className="form-field__hint">
          {t('offersAdmin.form.addressSearchHint')}
        </p>
        <div className="address-search__row">
          <input
            id={inputId}
            type="search"
            autoComplete="off"
            value={text}
            aria-describedby={`${inputId}-hint ${inputId}-status`}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={handleKeyDown}
          />
          <button type="button" className="button button--secondary" onClick={search}>
            {t('offersAdmin.form.addressSearchButton')}
          </button>
        </div>
      </div>
      <p id={`${inputId}-status`} className="address-search__status" role="status">
        {status}
      </p>
      {resultsQuery.isError ? <ErrorMessage error={resultsQuery.error} /> : null}
      {results && results.available && results.features.length > 0 && !resultsQuery.isFetching ? (
        <ul className="address-search__results">
          {results.features.map((feature, index) => {
            const properties = feature.properties;
            const [lon, lat] = feature.geometry.coordinates;
            return (
              <li key={`${properties.label}-${index}`}>
                <button
                  type="button"
                  className="address-search__result"
                  onClick={() => {
                    onChoose({ label: properties.label, street: properties.street, houseNumber: properties.houseNumber, lon, lat });
                    setSubmitted(null);
                  }}
                >
                  <span className="address-search__label">{properties.label}</span>
                  {properties.context ? <span className="address-search__context">{properties.context}</span> : null}
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}
