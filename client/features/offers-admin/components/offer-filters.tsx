import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Department } from '../../../../server/departments/departments.schema';
import { offerStatuses, publications } from '../../../../server/offers/offers.schema';
import type { TaxonomyTerm } from '../../../../server/taxonomies/taxonomies.schema';
import { departmentChoices } from '../utils/department-choices';
import { archivedChoices, defaultOfferListParams, type OfferListParams } from '../utils/offer-list-params';
import { languageOf, termTree } from '../utils/terms';
import { staleAfterMonths } from '../../../../server/offers/offers.schema';
import '../../../components/ui/forms.css';

type OfferFiltersProps = {
  params: OfferListParams;
  offerTypes: readonly TaxonomyTerm[];
  // GET /api/departments (empty while loading).
  departments: readonly Department[];
  onChange: (change: Partial<OfferListParams>) => void;
};

// Lists and switches apply at once (the table below updates, nothing else moves); typed text
// applies when the form is sent, so that the table does not jump while someone types.
export function OfferFilters({ params, offerTypes, departments, onChange }: OfferFiltersProps) {
  const { t, i18n } = useTranslation();
  const id = useId();
  // The controls show the chosen values at once; the URL (and so the table) follows a moment
  // later, because the router updates in a transition. Text fields apply when the form is sent.
  const [view, setView] = useState(params);
  const [synced, setSynced] = useState(params);
  // The URL may change from outside (back button, reset, a shared link): the controls follow it.
  if (synced !== params) {
    setSynced(params);
    setView(params);
  }
  const query = view.q;
  const setQuery = (q: string) => setView((current) => ({ ...current, q }));
  const choose = (change: Partial<OfferListParams>) => {
    setView((current) => ({ ...current, ...change }));
    onChange(change);
  };
  const language = languageOf(i18n.language);
  const groups = termTree(offerTypes);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    choose({ q: query.trim() });
  }

  const isFiltered = (Object.keys(defaultOfferListParams) as Array<keyof OfferListParams>).some(
    (key) => key !== 'sort' && key !== 'page' && params[key] !== defaultOfferListParams[key],
  );

  return (
    <form className="offer-filters" role="search" aria-labelledby={`${id}-heading`} onSubmit={handleSubmit}>
      <h2 id={`${id}-heading`} className="offer-filters__heading">
        {t('offersAdmin.filters.heading')}
      </h2>
      <div className="offer-filters__grid">
        <div className="form-field offer-filters__search">
          <label htmlFor={`${id}-q`}>{t('offersAdmin.filters.search')}</label>
          <input id={`${id}-q`} type="search" value={query} onChange={(event) => setQuery(event.target.value)} />
        </div>
        <div className="form-field">
          <label htmlFor={`${id}-department`}>{t('offersAdmin.filters.department')}</label>
          <select id={`${id}-department`} value={view.department} onChange={(event) => choose({ department: event.target.value })}>
            <option value="">{t('offersAdmin.filters.all')}</option>
            {departmentChoices(departments, { current: view.department }).map((choice) => (
              <option key={choice.code} value={choice.code}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
        <div className="form-field">
          <label htmlFor={`${id}-type`}>{t('offersAdmin.filters.type')}</label>
          <select id={`${id}-type`} value={view.type} onChange={(event) => choose({ type: event.target.value })}>
            <option value="">{t('offersAdmin.filters.all')}</option>
            {groups.map(({ parent, children }) => (
              <optgroup key={parent.code} label={parent.label[language]}>
                <option value={parent.code}>{t('offersAdmin.filters.typeGroup', { label: parent.label[language] })}</option>
                {children.map((child) => (
                  <option key={child.code} value={child.code}>
                    {child.label[language]}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <div className="form-field">
          <label htmlFor={`${id}-status`}>{t('offersAdmin.filters.status')}</label>
          <select
            id={`${id}-status`}
            value={view.status}
            onChange={(event) => choose({ status: event.target.value as OfferListParams['status'] })}
          >
            <option value="">{t('offersAdmin.filters.all')}</option>
            {offerStatuses.map((status) => (
              <option key={status} value={status}>
                {t(`offersAdmin.statuses.${status}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="form-field">
          <label htmlFor={`${id}-publication`}>{t('offersAdmin.filters.publication')}</label>
          <select
            id={`${id}-publication`}
            value={view.publication}
            onChange={(event) => choose({ publication: event.target.value as OfferListParams['publication'] })}
          >
            <option value="">{t('offersAdmin.filters.all')}</option>
            {publications.map((publication) => (
              <option key={publication} value={publication}>
                {t(`offersAdmin.publications.${publication}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="form-field">
          <label htmlFor={`${id}-archived`}>{t('offersAdmin.filters.archived')}</label>
          <select
            id={`${id}-archived`}
            value={view.archived}
            onChange={(event) => choose({ archived: event.target.value as OfferListParams['archived'] })}
          >
            {archivedChoices.map((choice) => (
              <option key={choice} value={choice}>
                {t(`offersAdmin.filters.archivedChoices.${choice}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="choice offer-filters__stale">
        <input
          id={`${id}-stale`}
          type="checkbox"
          checked={view.stale}
          onChange={(event) => choose({ stale: event.target.checked })}
        />
        <label htmlFor={`${id}-stale`}>{t('offersAdmin.filters.stale', { months: staleAfterMonths })}</label>
      </div>
      <div className="form-actions">
        <button type="submit" className="button">
          {t('offersAdmin.filters.apply')}
        </button>
        {isFiltered ? (
          <button
            type="button"
            className="button button--secondary"
            onClick={() => choose({ ...defaultOfferListParams, sort: params.sort })}
          >
            {t('offersAdmin.filters.reset')}
          </button>
        ) : null}
      </div>
    </form>
  );
}
