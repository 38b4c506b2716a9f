// Loads every form file (forms/<form>/<version>.yaml) at start-up and checks it: against the
// schema (./schema.ts), then what a schema cannot say (names unique, every answer's policy field
// and column known, every category's CIN census code real, versions numbered 1, 2, 3 … taking
// effect in order). A mistake stops the start naming the file, the place (path and line) and
// the reason, as a bad policy file does (src/policy/load.ts).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { concernColumns } from '../policy/concern-columns.ts';
import { concernFieldNames } from '../policy/fields.ts';
import { encompassFieldNames } from '../policy/encompass-fields.ts';
import { paths } from '../paths.ts';
import { isCinCensusCode } from './cin-codes.ts';
import { formFileSchema, formIds, type FormFile, type FormId, type QuestionFile } from './schema.ts';

export class FormError extends Error {
  override name = 'FormError';
}

/** One version of one form, as its file says, with the file it came from. */
export interface FormDefinition extends FormFile {
  file: string;
}

/** Every version of every form, oldest first. */
export interface FormCatalogue {
  forms: ReadonlyMap<FormId, readonly FormDefinition[]>;
}

/** The policy fields each form's answers can be released under (src/policy/). */
const policyFields: Record<FormId, readonly string[]> = { concern: concernFieldNames, decision: concernFieldNames, encompass: encompassFieldNames };

/** The policy field an added question (no column) is released under, by form; none: that form has no added questions. */
const addedQuestionField: Partial<Record<FormId, string>> = { concern: 'submission', encompass: 'account' };

/** Names the built-in questions of the concern form read (src/concerns/form.ts): an added question may not take one. */
const reservedNames = new Set(['idempotencyKey', 'childId', 'formVersion', 'mainAsked', 'csrf_token', 'categories', 'category']);

/** The questions the police notification asks for each child (src/encompass/form.ts reads and checks them). */
const perChildNames = ['forename', 'surname', 'dob', 'nhsNumber', 'upn', 'address', 'postcode', 'present', 'spokenTo', 'words'];

/** Names the police notification's own fields read (src/encompass/form.ts): an added question may not take one. */
const encompassReservedNames = new Set(['idempotencyKey', 'formVersion', 'childCount', 'addChild', 'csrf_token', 'policeReference', 'incidentTime', 'account', 'contactName', 'contactPhone', 'contactEmail']);

/** Every question of a version, revealed ones included, each with its path in the file. */
export function eachQuestion(form: FormFile): Array<{ question: QuestionFile; at: Array<string | number>; revealedBy?: { name: string; value: string } }> {
  const found: Array<{ question: QuestionFile; at: Array<string | number>; revealedBy?: { name: string; value: string } }> = [];
  const walk = (questions: QuestionFile[], at: Array<string | number>, revealedBy?: { name: string; value: string }) => {
    questions.forEach((question, index) => {
      const here = [...at, index];
      found.push({ question, at: here, revealedBy });
      question.options?.forEach((option, o) => {
        if (option.reveal) walk(option.reveal, [...here, 'options', o, 'reveal'], { name: question.name, value: option.value });
      });
    });
  };
  form.pages.forEach((page, p) => page.sections.forEach((section, s) => walk(section.questions, ['pages', p, 'sections', s, 'questions'], undefined)));
  return found;
}

/** What the schema cannot check: the problems, each with where it is. */
function problemsOf(form: FormFile): Array<{ at: Array<string | number>; message: string }> {
  const problems: Array<{ at: Array<string | number>; message: string }> = [];
  const seen = new Set<string>();
  const repeated = new Set(form.pages.flatMap((page) => page.sections.filter((section) => section.repeats).flatMap((section) => section.questions)));
  for (const { question, at } of eachQuestion(form)) {
    // The questions asked for each child are the ones the portal repeats and checks (src/encompass/form.ts).
    if (repeated.has(question) && !perChildNames.includes(question.name)) {
      problems.push({ at: [...at, 'name'], message: `${question.name} is not a question the portal asks for each child (one of ${perChildNames.join(', ')})` });
    }
    const names = [question.name, ...(question.main_question ? [question.main_question.name] : [])];
    for (const name of names) {
      if (seen.has(name)) problems.push({ at: [...at, 'name'], message: `${name} is asked twice in this version` });
      seen.add(name);
    }
    if (!policyFields[form.form].includes(question.field)) {
      problems.push({ at: [...at, 'field'], message: `${question.field} is not a policy field of a ${form.form} (one of ${policyFields[form.form].join(', ')})` });
    }
    if (form.form !== 'encompass' && question.column) {
      const columns = (concernColumns as Record<string, readonly string[]>)[question.field] ?? [];
      // The child a concern is about travels with every released concern (its identity).
      if (question.column !== 'childId' && !columns.includes(question.column)) problems.push({ at: [...at, 'column'], message: `${question.column} is not stored under ${question.field} (one of ${columns.join(', ')})` });
    }
    if (!question.column) {
      // An added question: kept with the submission's other added answers, released with what was sent.
      // Released with what was sent: a concern's submission; a police notification's account.
      const releasedWith = addedQuestionField[form.form];
      if (!releasedWith) problems.push({ at: [...at, 'column'], message: `the ${form.form} form cannot have added questions: give the column it is stored in` });
      else if (question.field !== releasedWith) problems.push({ at: [...at, 'field'], message: `an added question is released with what was sent: its field is ${releasedWith}` });
      if (repeated.has(question)) problems.push({ at: [...at, 'column'], message: 'a question asked for each child needs its column (an added question is asked once)' });
      if (!question.optional) problems.push({ at: [...at, 'optional'], message: 'an added question must be optional (submissions made before it have no answer)' });
      // Bounded, so that what the database cannot hold is refused by the field, never a failed write.
      if ((question.component === 'input' || question.component === 'textarea') && !question.max_length) {
        problems.push({ at: [...at, 'max_length'], message: 'an added question needs max_length (its longest answer)' });
      }
      if (reservedNames.has(question.name) || (form.form === 'encompass' && encompassReservedNames.has(question.name))) problems.push({ at: [...at, 'name'], message: `${question.name} is a name the portal uses itself` });
    }
    const choice = question.component === 'radios' || question.component === 'checkboxes' || question.component === 'select';
    if (choice && !question.options && !question.options_from) problems.push({ at: [...at, 'options'], message: `a ${question.component} question needs options` });
    if (!choice && (question.options || question.options_from)) problems.push({ at: [...at, 'options'], message: `a ${question.component} question has no options` });
    if (question.options_from === 'categories' && !form.categories?.length) problems.push({ at: [...at, 'options_from'], message: 'the form has no categories' });
    if ((question.component === 'date-input') !== Boolean(question.date)) {
      problems.push({ at: [...at, 'date'], message: question.date ? 'only a date input has a date' : 'a date input needs date: { describe, range }' });
    }
    for (const joined of question.summary_joins ?? []) {
      if (!eachQuestion(form).some(({ question: other }) => other.name === joined)) problems.push({ at: [...at, 'summary_joins'], message: `${joined} is not a question of this version` });
    }
    if (question.format && question.component !== 'input') problems.push({ at: [...at, 'format'], message: 'only an input can have a format' });
    if (!question.optional && !question.required_message) problems.push({ at: [...at, 'required_message'], message: 'a required question needs the message shown when it is left blank' });
  }
  // What every concern must have (the columns the database requires): some question asks it.
  const required: Partial<Record<FormId, string[]>> = {
    concern: ['category', 'whatHappened', 'happenedOn', 'immediateRisk', 'parentsAware', 'referrerPhone'],
    decision: ['childId', 'decision', 'decisionReason', 'feedback'],
  };
  const asked = new Set(eachQuestion(form).map(({ question }) => question.column));
  for (const column of required[form.form] ?? []) {
    if (!asked.has(column)) problems.push({ at: ['pages'], message: `no question is stored as ${column}, which every ${form.form} needs` });
  }
  const values = new Set<string>();
  form.categories?.forEach((category, index) => {
    if (values.has(category.value)) problems.push({ at: ['categories', index, 'value'], message: `${category.value} is listed twice` });
    values.add(category.value);
    if (!isCinCensusCode(category.cin_code)) problems.push({ at: ['categories', index, 'cin_code'], message: `${category.cin_code} is not a CIN census code (src/forms/cin-codes.ts)` });
  });
  return problems;
}

export function parseFormFile(text: string, file: string): FormDefinition {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) throw new FormError(`${file}: ${doc.errors[0]!.message}`);
  const place = (at: PropertyKey[]) => {
    // The nearest node that exists: a missing key is reported at its parent's line.
    for (let end = at.length; end >= 0; end -= 1) {
      const node = doc.getIn(at.slice(0, end) as unknown[], true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return `${at.join('.') || '(top)'} (line ${lineCounter.linePos(node.range[0]).line})`;
    }
    return at.join('.') || '(top)';
  };
  const result = formFileSchema.safeParse(doc.toJS());
  if (!result.success) {
    throw new FormError(`Invalid form file ${file}:\n${result.error.issues.map((issue) => `  at ${place(issue.path)}: ${issue.message}`).join('\n')}`);
  }
  const problems = problemsOf(result.data);
  if (problems.length) throw new FormError(`Invalid form file ${file}:\n${problems.map((p) => `  at ${place(p.at)}: ${p.message}`).join('\n')}`);
  return { ...result.data, file };
}

/** Reads forms/<form>/<n>.yaml for every form; synchronous, so that building the app can do it. */
export function loadForms(dir: string): FormCatalogue {
  const forms = new Map<FormId, FormDefinition[]>();
  for (const id of formIds) {
    let names: string[];
    try {
      names = readdirSync(path.join(dir, id)).filter((name) => name.endsWith('.yaml'));
    } catch {
      throw new FormError(`No folder of versions for the ${id} form: ${path.join(dir, id)}`);
    }
    const versions: FormDefinition[] = [];
    for (const name of names) {
      const file = `${id}/${name}`;
      if (!/^[1-9]\d*\.yaml$/.test(name)) throw new FormError(`Invalid form file ${file}: a version's file is its number, like 2.yaml`);
      const form = parseFormFile(readFileSync(path.join(dir, id, name), 'utf8'), file);
      if (form.form !== id) throw new FormError(`Invalid form file ${file}:\n  at form: says ${form.form}, but is in the ${id} folder`);
      if (form.version !== Number.parseInt(name, 10)) throw new FormError(`Invalid form file ${file}:\n  at version: says ${form.version}, but the file is ${name}`);
      versions.push(form);
    }
    versions.sort((a, b) => a.version - b.version);
    versions.forEach((form, index) => {
      if (form.version !== index + 1) throw new FormError(`Form ${id}: version ${index + 1} is missing (versions are numbered 1, 2, 3 …)`);
      const before = versions[index - 1];
      if (before && form.effective_from < before.effective_from) {
        throw new FormError(`Invalid form file ${form.file}:\n  at effective_from: ${form.effective_from} is before version ${before.version}’s ${before.effective_from}`);
      }
    });
    if (!versions.length) throw new FormError(`No versions of the ${id} form in ${path.join(dir, id)}`);
    forms.set(id, versions);
  }
  return { forms };
}

let installed: FormCatalogue | undefined;
/**
 * The portal's own forms (forms/), read once. Where the app is given no catalogue (presenters
 * called on their own, the case-system export's category names), this is the one it uses.
 */
export function portalForms(): FormCatalogue {
  installed ??= loadForms(paths.forms);
  return installed;
}
