import { useEffect, useRef } from 'react';
import './forms.css';

export type ErrorSummaryItem = {
  // The id of the field to jump to.
  fieldId: string;
  label: string;
  message: string;
};

type ErrorSummaryProps = {
  title: string;
  items: readonly ErrorSummaryItem[];
  // Changes whenever a new submit failed, so that focus moves here again (GOV.UK pattern).
  focusKey: number;
  intro?: string;
};

// A list of every problem at the top of a form; it takes focus after a failed submit and each
// entry links to its field.
export function ErrorSummary({ title, items, focusKey, intro }: ErrorSummaryProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focusKey > 0) ref.current?.focus();
  }, [focusKey]);
  if (items.length === 0 && !intro) return null;
  return (
    <div ref={ref} className="error-summary" tabIndex={-1} role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title" className="error-summary__title">
        {title}
      </h2>
      {intro ? <p>{intro}</p> : null}
      {items.length > 0 ? (
        <ul className="error-summary__list">
          {items.map((item) => (
            <li key={`${item.fieldId}:${item.message}`}>
              <a
                href={`#${item.fieldId}`}
                onClick={(event) => {
                  const field = document.getElementById(item.fieldId);
                  if (!field) return;
                  event.preventDefault();
                  field.focus();
                  field.scrollIntoView({ block: 'center' });
                }}
              >
                {item.label}: {item.message}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
