import './forms.css';

type FieldErrorProps = {
  id: string;
  message: string | undefined;
};

// The message sits next to its field; the field points here with aria-describedby and carries
// aria-invalid. Nothing is rendered when there is no error, so the reference stays harmless.
export function FieldError({ id, message }: FieldErrorProps) {
  if (!message) return null;
  return (
    <p id={id} className="field-error">
      {message}
    </p>
  );
}

// aria-describedby for a field: its hint (if any) and its error (only while there is one).
export function describedBy(...ids: Array<string | false | null | undefined>): string | undefined {
  const present = ids.filter((id): id is string => typeof id === 'string' && id !== '');
  return present.length > 0 ? present.join(' ') : undefined;
}
