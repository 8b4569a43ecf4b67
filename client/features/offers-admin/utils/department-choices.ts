// The departments the offer form and the table filter offer as choices. Pure: unit-tested.
import type { Department } from '../../../../server/departments/departments.schema';

export type DepartmentChoice = { code: string; label: string };

export function departmentLabel(department: Pick<Department, 'code' | 'name'>): string {
  return `${department.code} – ${department.name}`;
}

type ChoiceOptions = {
  // The code the control holds now (the offer's department, a filter from the URL): it stays
  // a choice even when the list does not have it (list not loaded, a link with an old code).
  current: string;
  // An editor's own department: the only choice, the form does not offer another.
  lockedTo?: Pick<Department, 'code' | 'name'> | null | undefined;
};

export function departmentChoices(departments: readonly Pick<Department, 'code' | 'name'>[], options: ChoiceOptions): DepartmentChoice[] {
  if (options.lockedTo) {
    const own = departments.find((department) => department.code === options.lockedTo!.code) ?? options.lockedTo;
    return [{ code: own.code, label: departmentLabel(own) }];
  }
  const choices = departments.map((department) => ({ code: department.code, label: departmentLabel(department) }));
  const current = options.current.trim();
  if (current !== '' && !choices.some((choice) => choice.code === current)) choices.unshift({ code: current, label: current });
  return choices;
}
