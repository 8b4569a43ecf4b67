import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Offer } from '../../../../server/offers/offers.schema';
import type { Taxonomy } from '../../../../server/taxonomies/taxonomies.schema';
import { useDateFormat } from '../hooks/use-date-format';
import { useHistoryFormat } from '../hooks/use-history-format';
import { formatHistoryValue } from '../utils/history-format';
import {
  differingBodyFields,
  formValuesToBody,
  offerToFormValues,
  type OfferFormValues,
} from '../utils/offer-form-values';

type ConflictPanelProps = {
  mine: OfferFormValues;
  myVersion: number;
  current: Offer;
  taxonomies: readonly Taxonomy[];
  areaNames: ReadonlyMap<string, string>;
  onMerge: () => void;
  onReload: () => void;
};

const noUsers = new Map<string, string>();

// After a 412: someone saved a newer version. Nothing was overwritten; the person sees what
// differs and chooses to carry their edits over or to start from the saved version.
export function ConflictPanel({ mine, myVersion, current, taxonomies, areaNames, onMerge, onReload }: ConflictPanelProps) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const formatDate = useDateFormat(true);
  const { context, fieldLabel } = useHistoryFormat(taxonomies, areaNames, noUsers);
  const theirs = offerToFormValues(current);
  const fields = differingBodyFields(mine, theirs);
  const myBody = formValuesToBody(mine);
  const theirBody = formValuesToBody(theirs);
  // The body names the provider by id; both sides know its name.
  const shown = (values: OfferFormValues, body: Record<string, unknown>, field: string) =>
    field === 'organizationId' ? (values.organization?.name ?? context.none) : formatHistoryValue(field, body[field], context);

  useEffect(() => {
    headingRef.current?.focus();
  }, [current.version]);

  return (
    <section className="conflict-panel" aria-labelledby="conflict-heading">
      <h2 id="conflict-heading" ref={headingRef} tabIndex={-1}>
        {t('offersAdmin.conflict.title')}
      </h2>
      <p>
        {t('offersAdmin.conflict.text', {
          mine: myVersion,
          current: current.version,
          when: formatDate(current.updatedAt),
          who: current.updatedBy?.email ?? t('offersAdmin.history.unknownUser'),
        })}
      </p>
      {fields.length > 0 ? (
        <div className="history-table" role="region" aria-labelledby="conflict-caption" tabIndex={0}>
          <table>
            <caption id="conflict-caption">{t('offersAdmin.conflict.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('offersAdmin.conflict.columnField')}</th>
                <th scope="col">{t('offersAdmin.conflict.columnMine')}</th>
                <th scope="col">{t('offersAdmin.conflict.columnCurrent')}</th>
              </tr>
            </thead>
            <tbody>
              {fields.map((field) => (
                <tr key={field}>
                  <th scope="row">{fieldLabel(field)}</th>
                  <td>{shown(mine, myBody, field)}</td>
                  <td>{shown(theirs, theirBody, field)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{t('offersAdmin.conflict.noDifferences')}</p>
      )}
      <p className="form-field__hint">{t('offersAdmin.conflict.mergeHint')}</p>
      <div className="form-actions">
        <button type="button" className="button" onClick={onMerge}>
          {t('offersAdmin.conflict.merge')}
        </button>
        <button type="button" className="button button--secondary" onClick={onReload}>
          {t('offersAdmin.conflict.reload')}
        </button>
      </div>
    </section>
  );
}
