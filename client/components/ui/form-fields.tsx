import type { InputHTMLAttributes, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { describedBy, FieldError } from './field-error';
import './forms.css';

// The labelled form controls of every staff form (offers, organisations, goals, measures, process
// figures). Each wires its hint and error to the control with aria-describedby, marks itself
// aria-invalid while it has an error, and says "required" in words (forms.required), not by a sign.

type FieldProps = {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  required?: boolean | undefined;
  disabled?: boolean | undefined;
  className?: string | undefined;
};

function classes(...names: Array<string | false | undefined>): string {
  return names.filter(Boolean).join(' ');
}

function wiring(id: string, hint: string | undefined, error: string | undefined, required: boolean | undefined) {
  return {
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy(hint && `${id}-hint`, error && `${id}-error`),
    'aria-required': required ? true : undefined,
  } as const;
}

function Hint({ id, hint }: { id: string; hint: string | undefined }) {
  return hint ? (
    <p id={`${id}-hint`} className="form-field__hint">
      {hint}
    </p>
  ) : null;
}

function Frame({ id, label, hint, error, required, className, children }: FieldProps & { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className={classes('form-field', className)}>
      <label htmlFor={id}>
        {label}
        {required ? <span className="form-field__required"> ({t('forms.required')})</span> : null}
      </label>
      <Hint id={id} hint={hint} />
      {children}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

type TextFieldProps = FieldProps & {
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'email' | 'tel' | 'url' | 'search' | 'number' | 'date' | 'month';
  inputMode?: InputHTMLAttributes<HTMLInputElement>['inputMode'];
  autoComplete?: string;
  onBlur?: () => void;
  step?: string;
  min?: string;
  max?: string;
};

export function TextField(props: TextFieldProps) {
  const { id, hint, error, required } = props;
  return (
    <Frame {...props}>
      <input
        id={id}
        type={props.type ?? 'text'}
        step={props.step}
        min={props.min}
        max={props.max}
        inputMode={props.inputMode ?? (props.type === 'number' ? 'decimal' : undefined)}
        autoComplete={props.autoComplete ?? 'off'}
        value={props.value}
        disabled={props.disabled}
        onChange={(event) => props.onChange(event.target.value)}
        onBlur={props.onBlur}
        {...wiring(id, hint, error, required)}
      />
    </Frame>
  );
}

export function TextAreaField(props: FieldProps & { value: string; onChange: (value: string) => void; rows?: number }) {
  const { id, hint, error, required } = props;
  return (
    <Frame {...props}>
      <textarea
        id={id}
        rows={props.rows ?? 4}
        value={props.value}
        disabled={props.disabled}
        onChange={(event) => props.onChange(event.target.value)}
        {...wiring(id, hint, error, required)}
      />
    </Frame>
  );
}

export type Choice = { value: string; label: string };

/** A select from plain choices (with an optional empty first option), or from its own options (optgroups). */
type SelectFieldProps = FieldProps & { value: string; onChange: (value: string) => void } & (
    | { choices: readonly Choice[]; empty?: string | undefined }
    | { children: ReactNode }
  );

export function SelectField(props: SelectFieldProps) {
  const { id, hint, error, required } = props;
  return (
    <Frame {...props}>
      <select
        id={id}
        value={props.value}
        disabled={props.disabled}
        onChange={(event) => props.onChange(event.target.value)}
        {...wiring(id, hint, error, required)}
      >
        {'choices' in props ? (
          <>
            {props.empty !== undefined ? <option value="">{props.empty}</option> : null}
            {props.choices.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </>
        ) : (
          props.children
        )}
      </select>
    </Frame>
  );
}

type ChoiceFieldsetProps = {
  // The fieldset takes the id, so that the error summary can move focus to the group.
  id: string;
  legend: string;
  hint?: string | undefined;
  error?: string | undefined;
  disabled?: boolean | undefined;
  choices: readonly Choice[];
  className?: string | undefined;
  /** Shown below the choices, inside the group (a detail that belongs to the choice made). */
  children?: ReactNode;
} & (
  | { multiple: true; value: readonly string[]; onChange: (value: string[]) => void }
  | { multiple: false; value: string; onChange: (value: string) => void }
);

/** Radio buttons (one value) or checkboxes (several) in a fieldset with a legend. */
export function ChoiceFieldset(props: ChoiceFieldsetProps) {
  const { id, legend, hint, error, choices } = props;
  return (
    <fieldset
      id={id}
      tabIndex={-1}
      className={classes('form-fieldset', !props.multiple && 'form-fieldset--single', props.className)}
      disabled={props.disabled}
      aria-invalid={error ? true : undefined}
      aria-describedby={describedBy(hint && `${id}-hint`, error && `${id}-error`)}
    >
      <legend>{legend}</legend>
      <Hint id={id} hint={hint} />
      <FieldError id={`${id}-error`} message={error} />
      <ul className="choice-list">
        {choices.map((choice) => {
          const inputId = `${id}-${choice.value || 'none'}`;
          const checked = props.multiple ? props.value.includes(choice.value) : props.value === choice.value;
          return (
            <li key={choice.value} className="choice">
              <input
                id={inputId}
                type={props.multiple ? 'checkbox' : 'radio'}
                name={id}
                value={choice.value}
                checked={checked}
                onChange={(event) => {
                  if (props.multiple) {
                    props.onChange(event.target.checked ? [...props.value, choice.value] : props.value.filter((value) => value !== choice.value));
                  } else {
                    props.onChange(choice.value);
                  }
                }}
              />
              <label htmlFor={inputId}>{choice.label}</label>
            </li>
          );
        })}
      </ul>
      {props.children}
    </fieldset>
  );
}
