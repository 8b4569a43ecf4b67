import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describedBy, FieldError } from '../../../components/ui/field-error';
import { useOrganizationSearch } from '../api/search-organizations';
import { nextActiveOption } from '../utils/listbox-navigation';
import type { OrganizationChoice } from '../utils/offer-form-values';
import { OrganizationCreatePanel } from './organization-create-panel';

type OrganizationPickerProps = {
  id: string;
  value: OrganizationChoice | null;
  onChange: (value: OrganizationChoice | null) => void;
  error?: string | undefined;
  // Editors and administrators may add a provider the search does not find.
  canCreate: boolean;
};

const searchDelayMs = 250;

// The provider (Träger) of an offer: an editable combobox with a list popup (WAI-ARIA 1.2
// combobox pattern). Focus stays in the text input; the arrow keys move through the options
// (aria-activedescendant), Enter chooses, Escape closes the list. The field holds a provider
// only when one was chosen from the list: typed text alone changes nothing, and leaving the
// field puts the chosen name back. Emptying the field removes the provider.
export function OrganizationPicker({ id, value, onChange, error, canCreate }: OrganizationPickerProps) {
  const { t } = useTranslation();
  const inputRef = useRef<HTMLInputElement>(null);
  const createButtonRef = useRef<HTMLButtonElement>(null);
  const [text, setText] = useState(value?.name ?? '');
  const [syncedValue, setSyncedValue] = useState(value);
  const [searchText, setSearchText] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [announcement, setAnnouncement] = useState('');
  const [creating, setCreating] = useState(false);
  // What was typed last, without choosing: the name a new provider starts with.
  const [typed, setTyped] = useState('');

  // A new value from outside (saved, merged, reloaded): the text follows it.
  if (value?.id !== syncedValue?.id) {
    setSyncedValue(value);
    setText(value?.name ?? '');
  }

  // Look up what was typed once typing pauses, not at every key.
  useEffect(() => {
    if (!open) return undefined;
    const timer = setTimeout(() => setSearchText(text), searchDelayMs);
    return () => clearTimeout(timer);
  }, [open, text]);

  const searchQuery = useOrganizationSearch(open ? searchText : null);
  const searchedText = searchText?.trim() ?? '';
  const options = open && searchedText.length >= 2 ? (searchQuery.data?.items ?? []) : [];
  const expanded = options.length > 0;
  const listId = `${id}-list`;
  const optionId = (index: number) => `${id}-option-${index}`;

  let status = announcement;
  // A search result (found, none, failed) rather than a passing state (typing, searching).
  let settled = false;
  if (open) {
    if (text.trim().length < 2) status = t('offersAdmin.organization.typeMore');
    else if (searchQuery.isError) {
      status = t('offersAdmin.organization.searchFailed');
      settled = true;
    } else if (searchText !== text || searchQuery.isFetching) status = t('offersAdmin.organization.searching');
    else if (searchQuery.data) {
      settled = true;
      status =
        options.length === 0
          ? t('offersAdmin.organization.noResults', { text: searchedText })
          : t('offersAdmin.organization.results', { count: options.length });
    }
  }

  function choose(choice: OrganizationChoice) {
    onChange({ id: choice.id, name: choice.name });
    setSyncedValue({ id: choice.id, name: choice.name });
    setText(choice.name);
    setOpen(false);
    setActive(-1);
    setTyped('');
    setAnnouncement(t('offersAdmin.organization.chosen', { name: choice.name }));
  }

  function remove() {
    onChange(null);
    setSyncedValue(null);
    setText('');
    setOpen(false);
    setActive(-1);
    setAnnouncement(t('offersAdmin.organization.removed'));
    inputRef.current?.focus();
  }

  function handleTextChange(next: string) {
    setText(next);
    setTyped(next.trim());
    setOpen(true);
    setActive(-1);
    setAnnouncement('');
    if (next.trim() === '' && value) {
      onChange(null);
      setSyncedValue(null);
    }
  }

  function handleKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        event.preventDefault();
        if (!open) {
          setOpen(true);
          setSearchText(text);
          return;
        }
        if (!event.altKey) setActive((current) => nextActiveOption(current, options.length, event.key as 'ArrowDown' | 'ArrowUp'));
        return;
      case 'Enter': {
        // While the list is shown, Enter chooses (and does not send the offer form).
        if (!expanded) return;
        event.preventDefault();
        const chosen = options[active] ?? (options.length === 1 ? options[0] : undefined);
        if (chosen) choose(chosen);
        return;
      }
      case 'Escape':
        if (open) {
          event.preventDefault();
          setOpen(false);
          setActive(-1);
        } else {
          setText(value?.name ?? '');
        }
        return;
      default:
        return;
    }
  }

  function handleBlur() {
    // What the search said stays until the next search: the buttons below must not jump
    // while a pointer is on its way to "new provider".
    if (open) setAnnouncement(settled ? status : '');
    setOpen(false);
    setActive(-1);
    if (text.trim() !== (value?.name ?? '')) setText(value?.name ?? '');
  }

  const hintId = `${id}-hint`;
  const statusId = `${id}-status`;
  return (
    <div className="form-field organization-picker">
      <label htmlFor={id}>{t('offersAdmin.fields.organization')}</label>
      <p id={hintId} className="form-field__hint">
        {t('offersAdmin.organization.hint')}
      </p>
      <div className="organization-picker__combobox">
        <input
          ref={inputRef}
          id={id}
          type="text"
          role="combobox"
          autoComplete="off"
          spellCheck={false}
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(hintId, statusId, error && `${id}-error`)}
          value={text}
          onChange={(event) => handleTextChange(event.target.value)}
          onKeyDown={handleKeyDown}
          onBlur={handleBlur}
        />
        <ul id={listId} role="listbox" aria-label={t('offersAdmin.organization.listLabel')} className="organization-picker__list" hidden={!expanded}>
          {options.map((option, index) => (
            <li
              key={option.id}
              id={optionId(index)}
              role="option"
              aria-selected={index === active}
              className="organization-picker__option"
              // Keeps focus in the input, so that choosing does not count as leaving the field.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(option)}
            >
              <span className="organization-picker__name">{option.name}</span>
              {option.website ? <span className="organization-picker__website">{option.website}</span> : null}
            </li>
          ))}
        </ul>
      </div>
      <p id={statusId} className="organization-picker__status" role="status">
        {status}
      </p>
      <FieldError id={`${id}-error`} message={error} />
      <div className="organization-picker__actions">
        {value ? (
          <button type="button" className="button button--secondary" onClick={remove}>
            {t('offersAdmin.organization.remove', { name: value.name })}
          </button>
        ) : null}
        {canCreate ? (
          <button
            ref={createButtonRef}
            type="button"
            className="button button--secondary"
            aria-expanded={creating}
            aria-controls={creating ? `${id}-new` : undefined}
            onClick={() => setCreating((current) => !current)}
          >
            {t('offersAdmin.organization.create.open')}
          </button>
        ) : null}
      </div>
      {canCreate && creating ? (
        <OrganizationCreatePanel
          id={`${id}-new`}
          initialName={typed}
          onCreated={(created) => {
            setCreating(false);
            choose(created);
            setAnnouncement(t('offersAdmin.organization.create.created', { name: created.name }));
            inputRef.current?.focus();
          }}
          onChooseExisting={(existing) => {
            setCreating(false);
            choose(existing);
            inputRef.current?.focus();
          }}
          onCancel={() => {
            setCreating(false);
            createButtonRef.current?.focus();
          }}
        />
      ) : null}
    </div>
  );
}
