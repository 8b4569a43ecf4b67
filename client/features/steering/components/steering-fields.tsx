import type { ReactNode } from 'react';
import { describedBy, FieldError } from '../../../components/ui/field-error';
import '../../../components/ui/forms.css';

// Labelled controls of the steering forms. Each wires its hint and error to the control with
// aria-describedby, marks itself aria-invalid and says "required" in words.

type Common = {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  required?: string | undefined;
  disabled?: boolean | undefined;
};

function wiring(id: string, hint: string | undefined, error: string | undefined) {
  return {
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy(hint && `${id}-hint`, error && `${id}-error`),
  } as const;
}

function Frame({ id, label, hint, error, required, children }: Common & { children: ReactNode }) {
  return (
    <div className="form-field">
      <label htmlFor={id}>
        {label}
        {required ? <span className="form-field__required"> ({required})</span> : null}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="form-field__hint">
          {hint}
        </p>
      ) : null}
      {children}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

export function InputField(
  props: Common & { value: string; onChange: (value: string) => void; type?: 'text' | 'number' | 'date' | 'month'; step?: string; min?: string; max?: string },
) {
  return (
    <Frame {...props}>
      <input
        id={props.id}
        type={props.type ?? 'text'}
        step={props.step}
        min={props.min}
        max={props.max}
        inputMode={props.type === 'number' ? 'decimal' : undefined}
        value={props.value}
        disabled={props.disabled}
        autoComplete="off"
        aria-required={props.required ? true : undefined}
        onChange={(event) => props.onChange(event.target.value)}
        {...wiring(props.id, props.hint, props.error)}
      />
    </Frame>
  );
}

export function TextAreaField(props: Common & { value: string; onChange: (value: string) => void }) {
  return (
    <Frame {...props}>
      <textarea
        id={props.id}
        value={props.value}
        disabled={props.disabled}
        rows={4}
        onChange={(event) => props.onChange(event.target.value)}
        {...wiring(props.id, props.hint, props.error)}
      />
    </Frame>
  );
}

export type Choice = { value: string; label: string };

export function SelectField(props: Common & { value: string; onChange: (value: string) => void; choices: readonly Choice[]; empty?: string }) {
  return (
    <Frame {...props}>
      <select
        id={props.id}
        value={props.value}
        disabled={props.disabled}
        aria-required={props.required ? true : undefined}
        onChange={(event) => props.onChange(event.target.value)}
        {...wiring(props.id, props.hint, props.error)}
      >
        {props.empty !== undefined ? <option value="">{props.empty}</option> : null}
        {props.choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </Frame>
  );
}

/** Radio buttons (one value) or checkboxes (several) in a fieldset with a legend. */
export function ChoiceFieldset(
  props: Omit<Common, 'label'> & { legend: string; choices: readonly Choice[]; className?: string } & (
      | { multiple: true; value: readonly string[]; onChange: (value: string[]) => void }
      | { multiple: false; value: string; onChange: (value: string) => void }
    ),
) {
  const { id, legend, hint, error, choices } = props;
  return (
    <fieldset
      id={id}
      tabIndex={-1}
      className={`form-fieldset ${props.className ?? ''}`}
      disabled={props.disabled}
      aria-invalid={error ? true : undefined}
      aria-describedby={describedBy(hint && `${id}-hint`, error && `${id}-error`)}
    >
      <legend>{legend}</legend>
      {hint ? (
        <p id={`${id}-hint`} className="form-field__hint">
          {hint}
        </p>
      ) : null}
      <FieldError id={`${id}-error`} message={error} />
      <ul className="choice-list">
        {choices.map((choice) => {
          const inputId = `${id}-${choice.value}`;
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
    </fieldset>
  );
}
