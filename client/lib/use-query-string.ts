import { useCallback } from 'react';
import { useSearchParams, type NavigateOptions } from 'react-router';

/** The query string in the address bar now, which may be ahead of the last render. */
export function addressBarSearchParams(): URLSearchParams {
  return new URLSearchParams(window.location.search);
}

/** A copy of `params` with each key set to its value, or without the key when the value is null or empty. */
export function withParameters(params: URLSearchParams, values: Record<string, string | null>): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(values)) {
    if (value) next.set(key, value);
    else next.delete(key);
  }
  return next;
}

export type QueryStringChange = (current: URLSearchParams) => URLSearchParams;

/**
 * The page's query string and a way to change it that starts from the query string in the address
 * bar when the change is made. React Router's own setter (its function form too) starts from the
 * query string of the last render, and React Router renders a navigation in a transition: a
 * second change made before the first is on screen (a quick keyboard user, a slow phone) would
 * start from the state before the first and undo it.
 */
export function useQueryString(): [URLSearchParams, (change: QueryStringChange, options?: NavigateOptions) => void] {
  const [searchParams, setSearchParams] = useSearchParams();
  const changeQueryString = useCallback(
    (change: QueryStringChange, options: NavigateOptions = {}) => {
      // flushSync: rendered at once, not in a transition, so that a checkbox or select bound to the
      // query string shows the new value right after the click (and is announced so).
      setSearchParams(change(addressBarSearchParams()), { preventScrollReset: true, flushSync: true, ...options });
    },
    [setSearchParams],
  );
  return [searchParams, changeQueryString];
}
