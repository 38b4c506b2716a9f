// The shape of a form file (forms/<form>/<version>.yaml): the pages, sections and questions of
// one version of one form, each question's GOV.UK component, words and checks, where its answer
// is stored and which policy field protects it. Checked at start-up (./load.ts); `npm run
// forms:schema` writes forms/form.schema.json from it for editors. docs/forms.md explains it.
import { z } from 'zod';
import { dateRanges } from '../validation/dates.ts';

/** The forms the portal has. Each is a folder of versions under forms/. */
export const formIds = ['concern', 'decision', 'encompass'] as const;
export type FormId = (typeof formIds)[number];

/** The GOV.UK Design System components a question can be (views/partials/govuk/). */
export const components = ['input', 'textarea', 'radios', 'checkboxes', 'date-input', 'select'] as const;

/** The checks an answer can be given beyond "required" and a length (the validators the portal already has). */
export const formats = ['nhs-number', 'upn', 'phone', 'email', 'postcode'] as const;
export type Format = (typeof formats)[number];

const name = z.string().regex(/^[a-z][a-zA-Z0-9]*$/, 'a name is letters and digits, starting with a small letter (like childWords)');
const text = z.string().trim().min(1);

export interface QuestionFile {
  name: string;
  component: (typeof components)[number];
  label: string;
  summary_label?: string;
  message_label?: string;
  hint?: string;
  optional?: boolean;
  required_message?: string;
  max_length?: number;
  format?: Format;
  format_message?: string;
  date?: { describe: string; range: keyof typeof dateRanges };
  options?: Array<{ value: string; label: string; reveal?: QuestionFile[] }>;
  options_from?: 'categories' | 'matches';
  main_question?: { name: string; label: string; hint?: string; message: string };
  field: string;
  column?: string;
  child_own_words?: boolean;
  empty_text?: string;
  summary_joins?: string[];
  check_on_leaving?: boolean;
  display?: { classes?: string; label_classes?: string; rows?: number; type?: string; autocomplete?: string; spellcheck?: boolean; inputmode?: string };
}

export const questionSchema: z.ZodType<QuestionFile> = z.lazy(() => z.strictObject({
  name: name.describe('The answer’s name in the form and in the draft; unique within the form version.'),
  component: z.enum(components).describe('The GOV.UK component that asks it.'),
  label: text.describe('The question as asked (the label, or the fieldset’s legend).'),
  summary_label: text.optional().describe('What check answers and the submission call it (defaults to the label).'),
  message_label: text.optional().describe('What an error message calls it, as in “What happened must be 5,000 characters or fewer” (defaults to the summary label).'),
  hint: text.optional(),
  optional: z.boolean().optional().describe('true: may be left blank. Questions are required unless they say so.'),
  required_message: text.optional().describe('The error when a required question is left blank.'),
  max_length: z.number().int().positive().max(5000).optional().describe('The longest answer, in characters (5000 at most).'),
  format: z.enum(formats).optional().describe('A check the answer must pass when given.'),
  format_message: text.optional(),
  date: z.strictObject({ describe: text, range: z.enum(Object.keys(dateRanges) as [keyof typeof dateRanges]) }).optional()
    .describe('For a date input: the date in words for messages (“when it happened”) and the range it must fall in (all end today: a date in the past).'),
  options: z.array(z.strictObject({
    value: z.string().regex(/^[a-z0-9_]+$/, 'an option’s value is small letters, digits and _'),
    label: text,
    reveal: z.array(questionSchema).optional().describe('Questions revealed when this option is chosen (GOV.UK conditional reveal); asked and checked only then.'),
  })).min(1).optional(),
  options_from: z.enum(['categories', 'matches']).optional().describe('The options are the form’s categories, or (the decision) the children the concern may be about.'),
  main_question: z.strictObject({ name, label: text, hint: text.optional(), message: text }).optional()
    .describe('With several categories ticked: the follow-up asking which is the main one.'),
  field: text.describe('The policy field (a part of a concern, policies/*.yaml) that releases this answer.'),
  column: z.string().regex(/^[a-zA-Z]+$/).optional().describe('Where the answer is stored: a column of the record. None: kept with the submission’s other added answers (extra_answers).'),
  child_own_words: z.boolean().optional().describe('The child’s own words: kept apart and protected by the policy as such.'),
  empty_text: text.optional().describe('What a submission shows when an optional question was not answered.'),
  summary_joins: z.array(name).optional().describe('Later questions of the same section shown in this one’s row, joined by spaces (a first and last name as one Name).'),
  check_on_leaving: z.boolean().optional().describe('With JavaScript, checked as the person leaves it.'),
  display: z.strictObject({
    classes: z.string().optional(), label_classes: z.string().optional(), rows: z.number().int().min(1).max(20).optional(),
    type: z.enum(['text', 'tel', 'email']).optional(), autocomplete: z.string().optional(), spellcheck: z.boolean().optional(), inputmode: z.string().optional(),
  }).optional(),
}));

export const sectionSchema = z.strictObject({
  heading: text,
  intro: text.optional(),
  /** `child_unknown`: asked only when the concern is not raised from a child's record. */
  asked: z.enum(['always', 'child_unknown']).optional(),
  /** `child`: asked once for each child (the police notification); the portal numbers and checks these itself. */
  repeats: z.enum(['child']).optional()
    .describe('child: asked once for each child named (the domestic abuse notification). The file gives the words; the portal repeats the questions and checks them.'),
  at_least_one: z.strictObject({ questions: z.array(name).min(2), message: text }).optional()
    .describe('Of these optional questions, at least one must be answered; the message goes by the first.'),
  questions: z.array(questionSchema).min(1),
});

export const categorySchema = z.strictObject({
  value: z.string().regex(/^[a-z0-9_]+$/, 'a category’s value is small letters, digits and _'),
  label: text,
  cin_code: text.describe('The DfE children in need census code it is reported under.'),
});

export const formFileSchema = z.strictObject({
  form: z.enum(formIds),
  version: z.number().int().min(1),
  title: text,
  effective_from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').describe('The day (in England) this version takes effect.'),
  changes: z.strictObject({
    summary: text.describe('One or two sentences: shown once to each user in a notification banner.'),
    details: text.optional().describe('The full note, on the form’s page of versions.'),
  }),
  categories: z.array(categorySchema).optional().describe('The kinds of concern offered, each with its CIN census code.'),
  pages: z.array(z.strictObject({ title: text, sections: z.array(sectionSchema).min(1) })).min(1),
});

export type FormFile = z.infer<typeof formFileSchema>;
export type SectionFile = z.infer<typeof sectionSchema>;
export type CategoryFile = z.infer<typeof categorySchema>;
