import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { isApproximate, useSuggestions, type GeocodeFeature } from '../api/get-suggestions';
import type { GroupTranslate } from '../../../i18n/translate';

/** approx: the house number is not in the street data; the point is only near it. */
export type ChosenPlace = { label: string; lon: number; lat: number; approx: boolean };

type AddressComboboxProps = {
  text: string;
  onTextChange: (text: string) => void;
  onChoose: (place: ChosenPlace) => void;
  t: GroupTranslate<'search'>;
  invalid: boolean;
  errorId?: string;
};

function toPlace(feature: GeocodeFeature): ChosenPlace {
  const [lon, lat] = feature.geometry.coordinates;
  return { label: feature.properties.label, lon, lat, approx: isApproximate(feature) };
}

// WAI-ARIA 1.2 combobox with a list popup: focus stays in the input, the active option is named by
// aria-activedescendant, arrows move, Enter takes, Escape closes (a second Escape clears).
export function AddressCombobox({ text, onTextChange, onChoose, t, invalid, errorId }: AddressComboboxProps) {
  const id = useId();
  const inputId = `${id}-input`;
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [debounced, setDebounced] = useState(text);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const form = inputRef.current?.form;
    if (!form) return;
    const close = () => setOpen(false);
    form.addEventListener('submit', close);
    return () => form.removeEventListener('submit', close);
  }, []);

  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(text), 180);
    return () => window.clearTimeout(timer);
  }, [text]);

  const suggestions = useSuggestions(open ? debounced : '');
  const options = open ? (suggestions.data?.features ?? []) : [];
  const expanded = open && options.length > 0;
  const activeIndex = active < options.length ? active : -1;
  const optionId = (index: number) => `${id}-option-${index}`;

  function choose(index: number): void {
    const option = options[index];
    if (!option) return;
    onTextChange(option.properties.label);
    setOpen(false);
    setActive(-1);
    onChoose(toPlace(option));
  }

  function handleKeyDown(event: KeyboardEvent<HTMLInputElement>): void {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (!open) setOpen(true);
        setActive(options.length === 0 ? -1 : (activeIndex + 1) % options.length);
        break;
      case 'ArrowUp':
        event.preventDefault();
        if (!open) setOpen(true);
        setActive(options.length === 0 ? -1 : activeIndex <= 0 ? options.length - 1 : activeIndex - 1);
        break;
      case 'Enter':
        if (expanded && activeIndex >= 0) {
          // Take the suggestion instead of submitting the form with the half-typed text.
          event.preventDefault();
          choose(activeIndex);
        } else {
          setOpen(false);
        }
        break;
      case 'Escape':
        if (expanded) {
          event.preventDefault();
          setOpen(false);
          setActive(-1);
        } else if (text) {
          event.preventDefault();
          onTextChange('');
        }
        break;
      case 'Tab':
        setOpen(false);
        break;
      default:
        break;
    }
  }

  const describedBy = [hintId, invalid && errorId ? errorId : null].filter(Boolean).join(' ');

  return (
    <div className="address-combobox">
      <label htmlFor={inputId} className="search-form__label">
        {t('form.addressLabel')}
      </label>
      <p id={hintId} className="search-form__hint">
        {t('form.addressHint')}
      </p>
      <div className="address-combobox__field">
        <input
          ref={inputRef}
          id={inputId}
          type="text"
          role="combobox"
          className="search-form__input"
          autoComplete="street-address"
          spellCheck={false}
          value={text}
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && activeIndex >= 0 ? optionId(activeIndex) : undefined}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          onChange={(event) => {
            onTextChange(event.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onKeyDown={handleKeyDown}
          onBlur={(event) => {
            // The list is in the flow of the page (it never covers the search button). Closing it as
            // the pointer presses that button would move the button away before the click lands, so
            // it stays open until the form is submitted.
            const next = event.relatedTarget as HTMLElement | null;
            if (next?.getAttribute('type') !== 'submit') setOpen(false);
          }}
        />
        <ul id={listId} role="listbox" aria-label={t('form.suggestions')} className="address-combobox__list" hidden={!expanded}>
          {options.map((option, index) => (
            <li
              key={`${option.properties.kind}-${option.properties.label}-${option.properties.context ?? ''}-${index}`}
              id={optionId(index)}
              role="option"
              aria-selected={index === activeIndex}
              className="address-combobox__option"
              // Keep the focus in the input when the pointer picks an option.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(index)}
            >
              <span className="address-combobox__label">{option.properties.label}</span>
              <span className="address-combobox__context">
                {option.properties.kind === 'place'
                  ? (option.properties.context ?? t('form.kindPlace'))
                  : [option.properties.kind === 'street' ? t('form.kindStreet') : t('form.kindAddress'), option.properties.context]
                      .filter(Boolean)
                      .join(' · ')}
              </span>
            </li>
          ))}
        </ul>
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">
        {open && suggestions.isSuccess && debounced.trim().length >= 2
          ? options.length > 0
            ? t('form.suggestionsAvailable', { count: options.length })
            : t('form.noSuggestions')
          : ''}
      </p>
    </div>
  );
}
