// NHS number: ten digits, the last a modulus 11 check digit over the first nine
// (weights 10 down to 2). A remainder giving 10 means no valid number has those nine digits.
// The database checks the same rule (migrations/001_identifier_checks.sql).

/** Spaces and hyphens are how people write NHS numbers (943 476 5919); strip them. */
export function normaliseNhsNumber(input: string): string {
  return input.replace(/[\s-]/g, '');
}

export function nhsCheckDigit(firstNine: string): number | undefined {
  if (!/^\d{9}$/.test(firstNine)) return undefined;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return undefined;
  return check === 11 ? 0 : check;
}

export type NhsNumberProblem = 'empty' | 'not_digits' | 'wrong_length' | 'wrong_check_digit';

export function checkNhsNumber(input: string): { ok: true; value: string } | { ok: false; problem: NhsNumberProblem } {
  const value = normaliseNhsNumber(input);
  if (value === '') return { ok: false, problem: 'empty' };
  if (!/^\d+$/.test(value)) return { ok: false, problem: 'not_digits' };
  if (value.length !== 10) return { ok: false, problem: 'wrong_length' };
  if (nhsCheckDigit(value.slice(0, 9)) !== Number(value[9])) return { ok: false, problem: 'wrong_check_digit' };
  return { ok: true, value };
}

export const nhsNumberMessages: Record<NhsNumberProblem, string> = {
  empty: 'Enter an NHS number',
  not_digits: 'NHS number must only include numbers',
  wrong_length: 'NHS number must be 10 digits',
  wrong_check_digit: 'Enter a valid NHS number: check it against the child’s records',
};

export function isValidNhsNumber(input: string): boolean {
  return checkNhsNumber(input).ok;
}
