import { Fragment, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { filterAreaRows, type AreaRow } from '../utils/area-rows';

type AreaTableProps = {
  rows: readonly AreaRow[];
  selectedAreaId: string | null;
  onSelect: (areaId: string | null) => void;
};

// Keeps the selected row visible inside the scrolling list without scrolling the page itself
// (on phones the list sits below the map, and a map click must not jump the page away).
function revealWithin(container: HTMLElement, row: HTMLElement): void {
  if (container.scrollHeight <= container.clientHeight) return;
  const rowTop = row.offsetTop;
  const rowBottom = rowTop + row.offsetHeight;
  const header = container.querySelector('thead');
  const headerHeight = header?.offsetHeight ?? 0;
  if (rowTop - headerHeight < container.scrollTop) {
    container.scrollTop = rowTop - headerHeight;
  } else if (rowBottom > container.scrollTop + container.clientHeight) {
    container.scrollTop = rowBottom - container.clientHeight;
  }
}

// Compound names ("Bocklemünd/Mengenich") may break after the slash on narrow screens.
function breakableName(name: string) {
  return name.split('/').map((part, index, parts) => (
    <Fragment key={index}>
      {part}
      {index < parts.length - 1 ? (
        <>
          /<wbr />
        </>
      ) : null}
    </Fragment>
  ));
}

export function AreaTable({ rows, selectedAreaId, onSelect }: AreaTableProps) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const filterId = useId();
  const hintId = useId();
  const captionId = useId();
  const scrollRef = useRef<HTMLDivElement>(null);
  const visibleRows = useMemo(() => filterAreaRows(rows, query), [rows, query]);

  useEffect(() => {
    const container = scrollRef.current;
    if (!container || !selectedAreaId) return;
    const row = container.querySelector<HTMLElement>(`[data-area-id="${CSS.escape(selectedAreaId)}"]`);
    if (row) revealWithin(container, row);
  }, [selectedAreaId]);

  return (
    <div className="area-table">
      <div className="area-table__filter">
        <label htmlFor={filterId}>{t('areas.filterLabel')}</label>
        <input
          id={filterId}
          type="search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          aria-describedby={hintId}
          autoComplete="off"
        />
        <span id={hintId} className="area-table__hint">
          {t('areas.filterHint')}
        </span>
      </div>
      <p className="area-table__count" aria-live="polite">
        {query.trim() && visibleRows.length === 0
          ? t('areas.filterNoMatch', { query: query.trim() })
          : t('areas.count', { count: visibleRows.length })}
      </p>
      <div
        className="area-table__scroll"
        ref={scrollRef}
        tabIndex={0}
        role="region"
        aria-labelledby={captionId}
      >
        <table>
          <caption id={captionId}>{t('areas.tableCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('areas.columnName')}</th>
              <th scope="col">{t('areas.columnCode')}</th>
              <th scope="col">{t('areas.columnDistrict')}</th>
            </tr>
          </thead>
          <tbody>
            {visibleRows.map((row) => {
              const selected = row.id === selectedAreaId;
              return (
                <tr key={row.id} data-area-id={row.id} className={selected ? 'is-selected' : undefined}>
                  <th scope="row">
                    <button
                      type="button"
                      className="area-table__select"
                      aria-pressed={selected}
                      onClick={() => onSelect(selected ? null : row.id)}
                    >
                      {breakableName(row.name)}
                    </button>
                  </th>
                  <td>{row.code}</td>
                  <td>{row.districtName ?? t('areas.noDistrict')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
