// Which version of a form applies: the one a stored submission or a draft was made with, or, for
// a new one, the latest whose effective_from has come (in England). A version scheduled ahead
// is listed but not used until its day.
import { todayInEngland } from '../validation/dates.ts';
import type { FormCatalogue, FormDefinition } from './load.ts';
import type { FormId, QuestionFile } from './schema.ts';

export function versionsOf(catalogue: FormCatalogue, form: FormId): readonly FormDefinition[] {
  return catalogue.forms.get(form) ?? [];
}

/** A version by number; undefined when there is none (a tampered or stale number). */
export function formVersion(catalogue: FormCatalogue, form: FormId, version: number): FormDefinition | undefined {
  return versionsOf(catalogue, form).find((definition) => definition.version === version);
}

/** The version a new submission is made with today. Version 1 applies whatever its date says (there is nothing before it). */
export function currentVersion(catalogue: FormCatalogue, form: FormId, now: Date = new Date()): FormDefinition {
  const today = todayInEngland(now);
  const versions = versionsOf(catalogue, form);
  const due = versions.filter((definition) => definition.version === 1 || definition.effective_from <= today);
  return due[due.length - 1]!;
}

/**
 * A version number as a form or a draft carries it: that version where it exists, else
 * version 1 (everything made before forms recorded their version was made with version 1).
 */
export function versionCarried(catalogue: FormCatalogue, form: FormId, carried: string | undefined): FormDefinition {
  const number = carried && /^\d{1,6}$/.test(carried.trim()) ? Number(carried.trim()) : 1;
  return formVersion(catalogue, form, number) ?? formVersion(catalogue, form, 1)!;
}

/** Every question of a version in order, a revealed question straight after the one that reveals it. */
export function questionsOf(definition: FormDefinition): QuestionFile[] {
  const all: QuestionFile[] = [];
  const walk = (questions: QuestionFile[]) => questions.forEach((question) => {
    all.push(question);
    question.options?.forEach((option) => option.reveal && walk(option.reveal));
  });
  definition.pages.forEach((page) => page.sections.forEach((section) => walk(section.questions)));
  return all;
}

/** The questions added by the council: no column of their own, stored with the submission's extra answers. */
export function addedQuestions(definition: FormDefinition): QuestionFile[] {
  return questionsOf(definition).filter((question) => !question.column);
}

/** The form's field names that can carry an error, top to bottom (a follow-up question straight after its question). */
export function errorFieldsOf(definition: FormDefinition): string[] {
  return questionsOf(definition).flatMap((question) => [question.name, ...(question.main_question ? [question.main_question.name] : [])]);
}

/** The label of a category in this version, or in any version of the form (a stored value this version retired). */
export function categoryLabel(catalogue: FormCatalogue, definition: FormDefinition, value: string): string {
  const own = definition.categories?.find((category) => category.value === value);
  if (own) return own.label;
  for (const other of [...versionsOf(catalogue, definition.form)].reverse()) {
    const found = other.categories?.find((category) => category.value === value);
    if (found) return found.label;
  }
  return value;
}
