// Which option of a combobox's list is active after an arrow key (WAI-ARIA 1.2 combobox
// pattern: the arrows move through the options and wrap around; focus stays in the text input,
// the active option is named by aria-activedescendant). Pure: unit-tested.

// `active` is -1 while no option is active.
export function nextActiveOption(active: number, count: number, key: 'ArrowDown' | 'ArrowUp'): number {
  if (count === 0) return -1;
  if (key === 'ArrowDown') return active < 0 || active >= count - 1 ? 0 : active + 1;
  return active <= 0 ? count - 1 : active - 1;
}
