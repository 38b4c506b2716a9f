// Unique pupil number (DfE): a check letter, then 12 characters: 11 digits and a final digit,
// or a final letter for a temporary UPN. Characters 2 to 13 are weighted by their position;
// the sum modulo 23 picks the check letter from the alphabet without I, O and S, and a letter
// in the body is worth its place in that same alphabet. The database checks the same rule
// (migrations/001_identifier_checks.sql).
const LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

export function normaliseUpn(input: string): string {
  return input.replace(/\s/g, '').toUpperCase();
}

export function upnCheckLetter(body: string): string | undefined {
  if (!/^\d{11}[0-9A-HJ-NP-RT-Z]$/.test(body)) return undefined;
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    const ch = body[i]!;
    const value = /\d/.test(ch) ? Number(ch) : LETTERS.indexOf(ch);
    sum += value * (i + 2);
  }
  return LETTERS[sum % 23];
}

export type UpnProblem = 'empty' | 'wrong_length' | 'wrong_characters' | 'wrong_check_letter';

export function checkUpn(input: string): { ok: true; value: string } | { ok: false; problem: UpnProblem } {
  const value = normaliseUpn(input);
  if (value === '') return { ok: false, problem: 'empty' };
  if (value.length !== 13) return { ok: false, problem: 'wrong_length' };
  if (!/^[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]$/.test(value)) return { ok: false, problem: 'wrong_characters' };
  if (upnCheckLetter(value.slice(1)) !== value[0]) return { ok: false, problem: 'wrong_check_letter' };
  return { ok: true, value };
}

export const upnMessages: Record<UpnProblem, string> = {
  empty: 'Enter a unique pupil number (UPN)',
  wrong_length: 'UPN must be 13 characters',
  wrong_characters: 'UPN must be a letter, 11 numbers, then a number or letter',
  wrong_check_letter: 'Enter a valid UPN: check it against the pupil’s records',
};

export function isValidUpn(input: string): boolean {
  return checkUpn(input).ok;
}
