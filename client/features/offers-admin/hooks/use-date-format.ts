import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

// Dates in the page language ("24.11.2026" / "24 Nov 2026"); with time for the history.
export function useDateFormat(withTime = false): (iso: string) => string {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const locale = i18n.language.startsWith('en') ? 'en-GB' : 'de-DE';
    const format = new Intl.DateTimeFormat(locale, withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' });
    return (iso: string) => {
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? iso : format.format(date);
    };
  }, [i18n.language, withTime]);
}
