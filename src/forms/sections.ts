// A stored submission as the questions of the version it was made with: the sections of that
// version, each a heading and rows of { label, value } in words. The one way a stored form is
// shown: the partner's receipt and the front door's page (summary lists), and the document
// filed for it (a PDF renders the same sections).
//
//   submissionSections(definition, stored, options?) → [{ heading, rows: [{ label, value }] }]
//
// `stored` is the record as released to the reader: its columns (by the names a question's
// `column` gives, like whatHappened or childDateOfBirth) and `extraAnswers` (the answers to
// questions the council added, by question name). A question whose column was not released is
// left out: the policy decides what reaches the page, this only lays it out. A section with no
// row left is left out. A question revealed by an option is shown in its question's row, as
// "No: the reason given".
import { formatDate } from '../web/format.ts';
import type { FormCatalogue, FormDefinition } from './load.ts';
import type { QuestionFile } from './schema.ts';
import { categoryLabel } from './versions.ts';

export interface SubmissionRow {
  label: string;
  value: string;
  /** The question's name, for a link back to it or a data attribute. */
  name: string;
  /** Free text written by a person (kept with its line breaks). */
  freeText: boolean;
}

export interface SubmissionSection {
  heading: string;
  rows: SubmissionRow[];
}

export interface SectionOptions {
  /** Every version of the form: a category a later version retired still has its label. */
  catalogue?: FormCatalogue;
  /** Leave out these sections' headings (the child, on a page that names the matched child another way). */
  skipHeadings?: readonly string[];
  /** Only the questions released under these policy fields (a page that shows only what was sent, say). */
  fields?: readonly string[];
  /**
   * How to name the child a decision matched (an `options_from: matches` answer is a record's id,
   * never shown as such): the caller's words for it, as the reader may see it. Without it: “A
   * child’s record”.
   */
  matchLabel?: (id: string) => string;
}

/** A stored submission: its released columns, and its added answers (when released). */
export type StoredSubmission = Readonly<Record<string, unknown>> & { extraAnswers?: Readonly<Record<string, unknown>> };

const present = (value: unknown) => value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);

/** What an answer says in words, by its question's component. */
function inWords(definition: FormDefinition, question: QuestionFile, value: unknown, options: SectionOptions, stored: StoredSubmission): string {
  const label = (v: string) => categoryOrOption(definition, question, v, options);
  switch (question.component) {
    case 'date-input': {
      const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
      return formatDate(text) ?? text;
    }
    case 'radios':
    case 'select':
      return label(typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value));
    case 'checkboxes': {
      // The main category first, said to be main when there are others (src/concerns/categories.ts).
      const main = Array.isArray(value) ? String(value[0]) : String(value);
      const others = question.main_question && Array.isArray(stored.otherCategories) ? (stored.otherCategories as string[]) : Array.isArray(value) ? value.slice(1).map(String) : [];
      if (!others.length) return label(main);
      return [`${label(main)} (main concern)`, ...others.map(label)].join(', ');
    }
    default:
      return String(value);
  }
}

function categoryOrOption(definition: FormDefinition, question: QuestionFile, value: string, options: SectionOptions): string {
  if (question.options_from === 'matches') return options.matchLabel ? options.matchLabel(value) : 'A child’s record';
  if (question.options_from === 'categories') {
    return options.catalogue ? categoryLabel(options.catalogue, definition, value) : definition.categories?.find((c) => c.value === value)?.label ?? value;
  }
  return question.options?.find((option) => option.value === value)?.label ?? value;
}

/** A question's stored value: its column, or its added answer. Undefined: not released to this reader. */
function storedValue(question: QuestionFile, stored: StoredSubmission): unknown {
  if (question.column) return Object.hasOwn(stored, question.column) ? stored[question.column] : undefined;
  const extra = stored.extraAnswers;
  if (!extra) return undefined;
  return Object.hasOwn(extra, question.name) ? extra[question.name] : null;
}

export function submissionSections(definition: FormDefinition, stored: StoredSubmission, options: SectionOptions = {}): SubmissionSection[] {
  const sections: SubmissionSection[] = [];
  for (const page of definition.pages) {
    for (const section of page.sections) {
      if (options.skipHeadings?.includes(section.heading)) continue;
      const rows: SubmissionRow[] = [];
      const joined = new Set(section.questions.flatMap((question) => question.summary_joins ?? []));
      for (const question of section.questions) {
        if (joined.has(question.name)) continue;
        if (options.fields && !options.fields.includes(question.field)) continue;
        let value = storedValue(question, stored);
        if (value === undefined) continue;
        if (question.summary_joins) {
          // One row for several answers: each given, in order, joined by spaces.
          const parts = [question.name, ...question.summary_joins].map((name) => section.questions.find((q) => q.name === name))
            .map((q) => (q ? storedValue(q, stored) : undefined)).filter(present);
          value = parts.join(' ');
        }
        const several = question.main_question && Array.isArray(stored.otherCategories) && stored.otherCategories.length > 0;
        const label = several ? pluralKinds(question) : question.summary_label ?? question.label;
        let text = present(value) ? inWords(definition, question, value, options, stored) : question.empty_text ?? 'Not given';
        // The answer to a question revealed by the option chosen goes with it: "No: the reason".
        for (const option of question.options ?? []) {
          const chosen = typeof value === 'boolean' ? (value ? 'yes' : 'no') : value;
          if (option.value !== chosen) continue;
          for (const revealed of option.reveal ?? []) {
            const answer = storedValue(revealed, stored);
            if (present(answer)) text = `${text}: ${inWords(definition, revealed, answer, options, stored)}`;
          }
        }
        rows.push({ label, value: text, name: question.name, freeText: question.component === 'textarea' });
      }
      if (rows.length) sections.push({ heading: section.heading, rows });
    }
  }
  return sections;
}

/** "Kind of concern" said of several: "Kinds of concern". */
const pluralKinds = (question: QuestionFile) => (question.summary_label ?? question.label).replace(/^Kind of /, 'Kinds of ');
