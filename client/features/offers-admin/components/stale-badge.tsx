import { useTranslation } from 'react-i18next';

// Shown for records not verified for 12 months (the server's `stale` flag); text, not colour
// alone, carries the meaning.
export function StaleBadge() {
  const { t } = useTranslation();
  return <span className="badge badge--warning">{t('offersAdmin.table.stale')}</span>;
}

export function StatusBadge({ children, tone }: { children: string; tone: 'neutral' | 'success' | 'muted' }) {
  return <span className={`badge badge--${tone}`}>{children}</span>;
}
