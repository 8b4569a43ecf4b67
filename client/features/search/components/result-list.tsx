import { forwardRef } from 'react';
import { Link } from 'react-router';
import { paths } from '../../../config/paths';
import type { SearchResult } from '../api/get-search';
import { formatDistance, relativeTime } from '../utils/format';
import type { GroupTranslate } from '../../../i18n/translate';

type ResultListProps = {
  results: SearchResult[];
  /** Rank of the first result on this page (1 on page 1, 21 on page 2 …). */
  firstRank: number;
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** The search's query string, so that the detail page can lead back to this list. */
  searchString: string;
  t: GroupTranslate<'search'>;
  language: 'de' | 'en';
  now: Date;
  /** A label on every result of this list ("Offen für alle"). */
  badge?: string;
};

export function resultElementId(id: string): string {
  return `result-${id}`;
}

function openingText(result: SearchResult, t: GroupTranslate<'search'>, language: 'de' | 'en', now: Date): string {
  const { opening } = result;
  const when = (iso: string) => {
    const relative = relativeTime(iso, now, language);
    return t(`time.${relative.kind}`, { time: relative.time, day: relative.day });
  };
  if (opening.status === 'open') return opening.closesAt ? t('results.openUntil', { time: when(opening.closesAt) }) : t('results.open');
  if (opening.status === 'closed') return opening.opensAt ? t('results.opensAt', { time: when(opening.opensAt) }) : t('results.closed');
  return t('results.unknownHours');
}

/** The address without what the line above already says (a location named like the offer). */
export function addressLine(result: Pick<SearchResult, 'name' | 'address'>): string {
  const { address } = result;
  const street = [address.street, address.houseNumber].filter(Boolean).join(' ');
  const town = [address.postalCode, address.city].filter(Boolean).join(' ');
  const same = (text: string | null) => (text ?? '').trim().toLocaleLowerCase('de') === result.name.trim().toLocaleLowerCase('de');
  const parts = [same(address.name) ? null : address.name, street, town].filter((part): part is string => Boolean(part));
  return parts.filter((part, index) => parts.indexOf(part) === index).join(', ');
}

export const ResultList = forwardRef<HTMLOListElement, ResultListProps>(function ResultList(
  { results, firstRank, selectedId, onSelect, searchString, t, language, now, badge },
  ref,
) {
  return (
    <ol ref={ref} className="search-results__list" aria-label={t('results.listLabel')} start={firstRank}>
      {results.map((result, index) => {
        const selected = result.id === selectedId;
        const rank = firstRank + index;
        return (
          <li
            key={result.id}
            id={resultElementId(result.id)}
            className={`search-result${selected ? ' search-result--selected' : ''}`}
            tabIndex={-1}
            aria-current={selected ? 'true' : undefined}
          >
            <span className="search-result__number" aria-hidden="true">
              {rank}
            </span>
            <div className="search-result__body">
              <h3 className="search-result__name">
                <Link to={paths.offerDetail.href(result.offerId)} state={{ search: searchString }}>
                  {result.name}
                </Link>
              </h3>
              <p className="search-result__type">
                <span className="visually-hidden">{t('results.numberLabel', { number: rank })}. </span>
                {result.offerType.label[language]}
                {result.organization ? ` · ${result.organization}` : ''}
              </p>
              {result.summary ? <p className="search-result__summary">{result.summary}</p> : null}
              {addressLine(result) ? <p className="search-result__address">{addressLine(result)}</p> : null}
              {result.distanceMeters !== null ? (
                <p className="search-result__distance">
                  {result.walkingDistanceMeters !== null && result.walkingMinutes !== null
                    ? t('results.walking', { minutes: result.walkingMinutes, distance: formatDistance(result.walkingDistanceMeters, language) })
                    : null}
                  {' · '}
                  {t('results.airline', { distance: formatDistance(result.distanceMeters, language) })}
                </p>
              ) : null}
              <p className={`search-result__opening search-result__opening--${result.opening.status}`}>
                {openingText(result, t, language, now)}
              </p>
              {badge ? <p className="search-result__badge search-result__badge--everyone">{badge}</p> : null}
              {result.costKind === 'free' ? <p className="search-result__badge">{t('results.free')}</p> : null}
              <button type="button" className="search-result__show" aria-pressed={selected} onClick={() => onSelect(result.id)}>
                {selected ? t('results.shownOnMap') : t('results.showOnMap')}
              </button>
            </div>
          </li>
        );
      })}
    </ol>
  );
});
