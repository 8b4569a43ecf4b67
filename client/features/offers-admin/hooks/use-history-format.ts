import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Taxonomy } from '../../../../server/taxonomies/taxonomies.schema';
import { useDateFormat } from './use-date-format';
import { historyFieldLabelKey, type HistoryFormatContext } from '../utils/history-format';
import { termLabels, termsOf } from '../utils/terms';

const taxonomyOfField = {
  offerType: 'offer_type',
  targetGroups: 'target_group',
  fieldsOfAction: 'field_of_action',
  accessibility: 'accessibility',
} as const;

// Labels and value formatting shared by the history and the conflict view.
export function useHistoryFormat(
  taxonomies: readonly Taxonomy[],
  areaNames: ReadonlyMap<string, string>,
  userLabels: ReadonlyMap<string, string>,
) {
  const { t, i18n } = useTranslation();
  const formatDateTime = useDateFormat(true);
  const context = useMemo<HistoryFormatContext>(() => {
    const labels = Object.fromEntries(
      Object.entries(taxonomyOfField).map(([field, code]) => [field, termLabels(termsOf(taxonomies, code), i18n.language)]),
    ) as Record<keyof typeof taxonomyOfField, Map<string, string>>;
    const known = (group: 'statuses' | 'publications' | 'costKinds', value: string) =>
      i18n.exists(`offersAdmin.${group}.${value}`) ? t(`offersAdmin.${group}.${value}` as 'offersAdmin.statuses.active') : value;
    return {
      none: t('offersAdmin.history.none'),
      termLabel: (field, code) => labels[field].get(code) ?? code,
      statusLabel: (status) => known('statuses', status),
      publicationLabel: (publication) => known('publications', publication),
      costLabel: (kind) => known('costKinds', kind),
      reachLabel: (kind, meters) => {
        const name =
          kind === 'walk' || kind === 'radius' || kind === 'area' ? t(`offersAdmin.reachKinds.${kind}`) : kind;
        return meters === null ? name : t('offersAdmin.history.reachWithMeters', { kind: name, meters });
      },
      areaName: (areaId) => areaNames.get(areaId) ?? areaId,
      formatDate: formatDateTime,
      userLabel: (userId) => userLabels.get(userId) ?? userId,
    };
  }, [t, i18n, taxonomies, areaNames, userLabels, formatDateTime]);

  const fieldLabel = (field: string) => {
    const key = historyFieldLabelKey(field);
    return key ? t(`offersAdmin.fields.${key}`) : field;
  };
  return { context, fieldLabel };
}
