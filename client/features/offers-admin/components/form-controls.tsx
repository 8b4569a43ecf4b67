import type { InputHTMLAttributes, ReactNode } from 'react';
import { describedBy, FieldError } from '../../../components/ui/field-error';

// Small labelled controls for the offer form. Each wires its hint and error to the input with
// aria-describedby, marks itself aria-invalid, and says "required" in words, not by a sign.

type BaseProps = {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  required?: boolean;
  requiredText?: string;
  className?: string;
};

function Label({ id, label, required, requiredText }: Pick<BaseProps, 'id' | 'label' | 'required' | 'requiredText'>) {
  return (
    <label htmlFor={id}>
      {label}
      {required && requiredText ? <span className="form-field__required"> ({requiredText})</span> : null}
    </label>
  );
}

function wiring(id: string, hint: string | undefined, error: string | undefined) {
  return {
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy(hint && `${id}-hint`, error && `${id}-error`),
  } as const;
}

function Hint({ id, hint }: { id: string; hint: string | undefined }) {
  return hint ? (
    <p id={`${id}-hint`} className="form-field__hint">
      {hint}
    </p>
  ) : null;
}

type TextFieldProps = BaseProps & {
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'email' | 'tel' | 'url' | 'search';
  inputMode?: InputHTMLAttributes<HTMLInputElement>['inputMode'];
  autoComplete?: string;
  onBlur?: () => void;
};

export function TextField(props: TextFieldProps) {
  const { id, label, hint, error, value, onChange } = props;
  return (
    <div className={`form-field ${props.className ?? ''}`}>
      <Label id={id} label={label} required={props.required ?? false} requiredText={props.requiredText ?? ''} />
      <Hint id={id} hint={hint} />
      <input
        id={id}
        type={props.type ?? 'text'}
        inputMode={props.inputMode}
        autoComplete={props.autoComplete ?? 'off'}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onBlur={props.onBlur}
        aria-required={props.required ? true : undefined}
        {...wiring(id, hint, error)}
      />
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

type TextAreaFieldProps = BaseProps & { value: string; onChange: (value: string) => void; rows?: number };

export function TextAreaField(props: TextAreaFieldProps) {
  const { id, label, hint, error, value, onChange } = props;
  return (
    <div className={`form-field ${props.className ?? ''}`}>
      <Label id={id} label={label} required={props.required ?? false} requiredText={props.requiredText ?? ''} />
      <Hint id={id} hint={hint} />
      <textarea
        id={id}
        rows={props.rows ?? 4}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-required={props.required ? true : undefined}
        {...wiring(id, hint, error)}
      />
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

type SelectFieldProps = BaseProps & { value: string; onChange: (value: string) => void; children: ReactNode; disabled?: boolean };

export function SelectField(props: SelectFieldProps) {
  const { id, label, hint, error, value, onChange, children } = props;
  return (
    <div className={`form-field ${props.className ?? ''}`}>
      <Label id={id} label={label} required={props.required ?? false} requiredText={props.requiredText ?? ''} />
      <Hint id={id} hint={hint} />
      <select
        id={id}
        value={value}
        disabled={props.disabled}
        onChange={(event) => onChange(event.target.value)}
        aria-required={props.required ? true : undefined}
        {...wiring(id, hint, error)}
      >
        {children}
      </select>
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

export type Choice = { value: string; label: string };

type ChoiceGroupProps = {
  // The fieldset takes the id, so that the error summary can move focus to the group.
  id: string;
  legend: string;
  hint?: string | undefined;
  error?: string | undefined;
  choices: readonly Choice[];
  className?: string;
  children?: ReactNode;
} & (
  | { multiple: true; value: readonly string[]; onChange: (value: string[]) => void }
  | { multiple: false; value: string; onChange: (value: string) => void }
);

export function ChoiceGroup(props: ChoiceGroupProps) {
  const { id, legend, hint, error, choices } = props;
  return (
    <fieldset
      id={id}
      tabIndex={-1}
      className={`form-fieldset${props.multiple ? '' : ' form-fieldset--single'} ${props.className ?? ''}`}
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
                    const next = event.target.checked
                      ? [...props.value, choice.value]
                      : props.value.filter((value) => value !== choice.value);
                    props.onChange(next);
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
