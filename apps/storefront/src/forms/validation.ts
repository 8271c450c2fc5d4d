import type { z } from 'zod';

export type ValidationKey = 'required' | 'tooShort' | 'tooLong' | 'email' | 'mobile' | 'emailOrMobile' | 'invalid';

export interface FieldProblem {
  key: ValidationKey;
  values?: { min?: number; max?: number };
}

type Issue = z.core.$ZodIssue;

function problemFor(field: string, issue: Issue): FieldProblem {
  switch (issue.code) {
    case 'too_small': {
      const min = Number(issue.minimum);
      return min <= 1 ? { key: 'required' } : { key: 'tooShort', values: { min } };
    }
    case 'too_big':
      return { key: 'tooLong', values: { max: Number(issue.maximum) } };
    case 'invalid_type':
      return { key: 'required' };
    case 'custom':
      // The only cross-field rule in the contracts: an e-mail or a mobile number is required.
      return field === 'email' ? { key: 'emailOrMobile' } : { key: 'invalid' };
    case 'invalid_format':
      if (field === 'email') return { key: 'email' };
      if (field === 'mobile') return { key: 'mobile' };
      return { key: 'invalid' };
    default:
      return { key: 'invalid' };
  }
}

/**
 * Turns the contracts' zod issues into one translatable problem per field (the first one wins),
 * so the form can show it next to the field in the reader's language.
 */
export function fieldProblems(issues: readonly Issue[]): Record<string, FieldProblem> {
  const out: Record<string, FieldProblem> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '');
    if (!(field in out)) out[field] = problemFor(field, issue);
  }
  return out;
}

/** Empty inputs mean "not given": optional fields in the contracts are undefined, not ''. */
export function blankToUndefined(value: string): string | undefined {
  return value.trim() === '' ? undefined : value;
}

/** Moves focus to the first input (in form order) whose name is in `fields`. */
export function focusFirstInvalid(form: HTMLFormElement, fields: readonly string[]): void {
  const first = Array.from(form.elements).find(
    (el): el is HTMLInputElement => el instanceof HTMLInputElement && fields.includes(el.name),
  );
  first?.focus();
}
