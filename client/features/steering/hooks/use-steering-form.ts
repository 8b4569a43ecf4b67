import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorSummaryItem } from '../../../components/ui/error-summary';
import { formProblemOf, type FormProblem } from '../utils/problem-fields';

/**
 * What the goal and the measure form share: their values, the server's problem shown at each
 * field and in an error summary (which takes focus after each failed save), and the callbacks of
 * a save. `fieldIdOf` maps a field the server names ("target.deadline") to the id of its control.
 */
export function useSteeringForm<Values, Saved>(options: {
  formId: string;
  initial: () => Values;
  fieldIdOf: (field: string) => string | undefined;
  onSaved: (saved: Saved) => void;
}) {
  const { formId, fieldIdOf, onSaved } = options;
  const { t } = useTranslation();
  const [values, setValues] = useState<Values>(options.initial);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [attempt, setAttempt] = useState(0);
  const set =
    <Key extends keyof Values>(key: Key) =>
    (value: Values[Key]) =>
      setValues((previous) => ({ ...previous, [key]: value }));
  const error = (field: string) => problem?.fields.get(field);
  /** A control's value, change handler and error: a key of the values, and the field the server names it by (the key by default). */
  const bind = <Key extends keyof Values & string>(key: Key, field: string = key) => ({ value: values[key], onChange: set(key), error: error(field) });

  /** Starts a save: the last problem goes; the callbacks show the next one or hand on the saved item. */
  function saving() {
    setProblem(null);
    return {
      onSuccess: (saved: Saved) => onSaved(saved),
      onError: (failure: Error) => {
        setProblem(formProblemOf(failure, t('steeringForms.saveFailed')));
        setAttempt((count) => count + 1);
      },
    };
  }

  /** The visible label of the control the server named, for the error summary. */
  function labelOf(field: string): string {
    const id = fieldIdOf(field) ?? fieldIdOf(field.replace(/\.\d+$/, ''));
    const control = id ? document.querySelector(`label[for="${id}"], #${id} > legend`) : null;
    return control?.textContent?.replace(/\s*\(.*\)$/, '') ?? field;
  }

  // A list item's message ("areaIds.2") stands under its list ("areaIds") already.
  const summaryItems: ErrorSummaryItem[] = [...(problem?.fields ?? new Map<string, string>())]
    .filter(([field]) => !/\.\d+$/.test(field) || !problem?.fields.has(field.replace(/\.\d+$/, '')))
    .map(([field, message]) => ({ fieldId: fieldIdOf(field) ?? formId, label: labelOf(field), message }));
  const errorSummary = {
    title: t('steeringForms.errorTitle'),
    items: summaryItems,
    focusKey: attempt,
    ...(problem?.general ? { intro: problem.general } : {}),
  };
  return { values, setValues, set, bind, error, saving, errorSummary };
}
