import { useId } from 'react';
import type { SearchOptions, SearchOptionTerm } from '../api/get-search-options';
import { formatDistance } from '../utils/format';
import {
  applySeniorPreset,
  emptySearchState,
  isSeniorPresetActive,
  radiusOptions,
  withFilters,
  type SearchChange,
  type SearchState,
} from '../utils/search-state';
import type { GroupTranslate } from '../../../i18n/translate';

type FilterBarProps = {
  state: SearchState;
  options: SearchOptions | undefined;
  /** Receives the change, applied to the search as it is when the person acts (see SearchChange). */
  onChange: (change: SearchChange) => void;
  t: GroupTranslate<'search'>;
  language: 'de' | 'en';
};

function termLabel(terms: readonly SearchOptionTerm[] | undefined, code: string, language: 'de' | 'en'): string {
  return terms?.find((term) => term.code === code)?.label[language] ?? code;
}

export function languageName(code: string, language: 'de' | 'en'): string {
  try {
    return new Intl.DisplayNames([language], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** Children follow their parent, indented, so that the hierarchy reads in a plain select. */
function orderedTerms(terms: readonly SearchOptionTerm[]): Array<SearchOptionTerm & { depth: number }> {
  const ordered: Array<SearchOptionTerm & { depth: number }> = [];
  const visit = (parent: string | null, depth: number) => {
    for (const term of terms.filter((candidate) => candidate.parent === parent)) {
      ordered.push({ ...term, depth });
      visit(term.code, depth + 1);
    }
  };
  visit(null, 0);
  return ordered;
}

type Chip = { key: string; label: string; remove: (current: SearchState) => Partial<SearchState> };

export function FilterBar({ state, options, onChange, t, language }: FilterBarProps) {
  const id = useId();
  const change = (patch: (current: SearchState) => Partial<SearchState>) => onChange((current) => withFilters(current, patch(current)));
  const set = (patch: Partial<SearchState>) => change(() => patch);
  const presetActive = isSeniorPresetActive(state);

  const chips: Chip[] = [
    ...state.type.map((code) => ({ key: `type-${code}`, label: termLabel(options?.offerTypes, code, language), remove: (current: SearchState) => ({ type: current.type.filter((item) => item !== code) }) })),
    ...state.targetGroup.map((code) => ({
      key: `target-${code}`,
      label: termLabel(options?.targetGroups, code, language),
      remove: (current: SearchState) => ({ targetGroup: current.targetGroup.filter((item) => item !== code) }),
    })),
    ...state.language.map((code) => ({ key: `language-${code}`, label: languageName(code, language), remove: (current: SearchState) => ({ language: current.language.filter((item) => item !== code) }) })),
    ...(state.openNow ? [{ key: 'open', label: t('filters.openNow'), remove: () => ({ openNow: false }) }] : []),
    ...(state.free ? [{ key: 'free', label: t('filters.free'), remove: () => ({ free: false }) }] : []),
    ...(state.accessible ? [{ key: 'accessible', label: t('filters.accessible'), remove: () => ({ accessible: false }) }] : []),
    ...(state.q ? [{ key: 'q', label: t('filters.keyword', { text: state.q }), remove: () => ({ q: null }) }] : []),
  ];

  const toggle = (name: 'openNow' | 'free' | 'accessible', label: string) => (
    <button type="button" className="filter-toggle" aria-pressed={state[name]} onClick={() => change((current) => ({ [name]: !current[name] }))}>
      {label}
    </button>
  );

  return (
    <section className="search-filters" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="visually-hidden">
        {t('filters.heading')}
      </h2>
      <div className="search-filters__preset" role="group" aria-label={t('presets.heading')}>
        <button
          type="button"
          className="filter-preset"
          aria-pressed={presetActive}
          onClick={() => onChange((current) => (isSeniorPresetActive(current) ? withFilters(current, { targetGroup: [] }) : applySeniorPreset(current)))}
        >
          {t('presets.seniors')}
        </button>
      </div>
      <div className="search-filters__toggles" role="group" aria-label={t('filters.heading')}>
        {toggle('openNow', t('filters.openNow'))}
        {toggle('free', t('filters.free'))}
        {toggle('accessible', t('filters.accessible'))}
      </div>
      <div className="search-filters__selects">
        <label className="search-filters__select">
          <span>{t('filters.type')}</span>
          <select value={state.type[0] ?? ''} onChange={(event) => set({ type: event.target.value ? [event.target.value] : [] })}>
            <option value="">{t('filters.anyType')}</option>
            {orderedTerms(options?.offerTypes ?? []).map((term) => (
              <option key={term.code} value={term.code}>
                {`${'\u2003'.repeat(term.depth)}${term.label[language]}`}
              </option>
            ))}
          </select>
        </label>
        <label className="search-filters__select">
          <span>{t('filters.targetGroup')}</span>
          <select
            value={state.targetGroup[0] ?? ''}
            onChange={(event) => set({ targetGroup: event.target.value ? [event.target.value] : [] })}
          >
            <option value="">{t('filters.anyTargetGroup')}</option>
            {orderedTerms(options?.targetGroups ?? []).map((term) => (
              <option key={term.code} value={term.code}>
                {`${'\u2003'.repeat(term.depth)}${term.label[language]}`}
              </option>
            ))}
          </select>
        </label>
        <label className="search-filters__select">
          <span>{t('filters.language')}</span>
          <select value={state.language[0] ?? ''} onChange={(event) => set({ language: event.target.value ? [event.target.value] : [] })}>
            <option value="">{t('filters.anyLanguage')}</option>
            {(options?.languages ?? []).map((code) => (
              <option key={code} value={code}>
                {languageName(code, language)}
              </option>
            ))}
          </select>
        </label>
        <label className="search-filters__select">
          <span>{t('filters.radius')}</span>
          <select value={state.radius} onChange={(event) => set({ radius: Number(event.target.value) })}>
            {radiusOptions.map((radius) => (
              <option key={radius} value={radius}>
                {formatDistance(radius, language)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {chips.length > 0 ? (
        <div className="search-filters__active">
          <h3 className="search-filters__active-heading" id={`${id}-active`}>
            {t('filters.active')}
          </h3>
          <ul className="filter-chips" aria-labelledby={`${id}-active`}>
            {chips.map((chip) => (
              <li key={chip.key} className="filter-chip">
                <span>{chip.label}</span>
                <button type="button" className="filter-chip__remove" aria-label={t('filters.remove', { label: chip.label })} onClick={() => change(chip.remove)}>
                  <span aria-hidden="true">×</span>
                </button>
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="button button--secondary search-filters__clear"
            onClick={() =>
              onChange((current) => ({ ...emptySearchState, address: current.address, here: current.here, lat: current.lat, lon: current.lon, radius: current.radius }))
            }
          >
            {t('filters.clearAll')}
          </button>
        </div>
      ) : null}
    </section>
  );
}
