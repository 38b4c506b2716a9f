// What a filed document says, from the stored records: a title, the reference, the form version,
// who and when, and the questions and answers as [{ heading, rows: [{ label, value }] }], with
// the labels the portal's own pages use (src/concerns/presenter.ts, src/encompass/presenter.ts).
// A concern and its decision are laid out by the questions of their own form version (forms/,
// src/forms/sections.ts); a police notification's acknowledgement by the code below, with the
// answers to any question a council added to its version of forms/encompass, by that version's words.
import type { FilingEvent, FilingSource } from '../access/index.ts';
import type { ReleasedConcern } from '../access/index.ts';
import { concernSections } from '../concerns/presenter.ts';
import { portalForms, type FormCatalogue } from '../forms/load.ts';
import { submissionSections as submissionSections_, type StoredSubmission, type SubmissionSection } from '../forms/sections.ts';
import { categoryLabel as formCategoryLabel, formVersion } from '../forms/versions.ts';
import { schoolActionLabels } from '../encompass/presenter.ts';
import { sharedItems, type SharedItem } from '../encompass/shared-items.ts';
import { formatDate, formatDateTime } from '../web/format.ts';

export interface Section {
  heading: string;
  rows: Array<{ label: string; value: string }>;
}

export interface DocumentContent {
  /** The folder's child on record (a police notification's), or undefined: a concern's folder is its own. */
  childId?: string | null;
  part: number;
  /** The file's name in the folder, e.g. "Concern SPP-2026-000123 as sent". */
  name: string;
  title: string;
  reference: string;
  formVersion: number;
  by: string;
  at: Date;
  sections: Section[];
}

/** The form's sections as the document's: label and value only. */
const plain = (sections: SubmissionSection[]): Section[] => sections.map((section) => ({ heading: section.heading, rows: section.rows.map(({ label, value }) => ({ label, value })) }));
const concernCategoryLabel = (c: { category: string; formVersion?: number }, forms: FormCatalogue = portalForms()) => {
  const definition = formVersion(forms, 'concern', c.formVersion ?? 1) ?? formVersion(forms, 'concern', 1)!;
  return formCategoryLabel(forms, definition, c.category);
};
const yesNo = (value: boolean) => (value ? 'Yes' : 'No');
const given = (value: string | null | undefined, otherwise = 'Not given') => (value && value.trim() ? value : otherwise);
const rows = (pairs: Array<[string, string | null | undefined] | null>) =>
  pairs.flatMap((pair) => (pair && pair[1] !== null && pair[1] !== undefined ? [{ label: pair[0], value: pair[1] }] : []));

/** The questions and answers of a stored submission, decision or acknowledgement. */
export function submissionSections(source: FilingSource, event: FilingEvent, forms: FormCatalogue = portalForms()): Section[] {
  if (source.kind === 'concern') {
    const c = source.concern;
    // A concern and its decision are each laid out by the questions of the version they were
    // made with (forms/), as the portal's own pages show them.
    if (event === 'decided') {
      const decision = formVersion(forms, 'decision', source.decisionFormVersion ?? 1) ?? formVersion(forms, 'decision', 1)!;
      return [
        { heading: 'The concern', rows: rows([['Reference', c.reference], ['Kind of concern', concernCategoryLabel(c)], ['Sent by', `${c.submittedByName}, ${c.organisationName}`], ['Received', formatDateTime(c.receivedAt)]]) },
        ...plain(submissionSections_(decision, c as unknown as StoredSubmission, { catalogue: forms, matchLabel: () => 'The child whose folder this is' })),
        { heading: 'Who decided', rows: rows([['Decided by', c.decidedByName], ['Decided', formatDateTime(c.decidedAt)]]) },
      ];
    }
    return [
      ...plain(concernSections(c as unknown as ReleasedConcern, undefined, forms)),
      { heading: 'Who sent it', rows: rows([['Sent by', c.submittedByName], ['Organisation', c.organisationName]]) },
    ];
  }
  const n = source.notification;
  // The questions a council added (no column of their own): only their rows, by the version's words.
  const notificationForm = formVersion(forms, 'encompass', source.formVersion) ?? formVersion(forms, 'encompass', 1)!;
  const added = submissionSections_(notificationForm, { extraAnswers: n.extraAnswers ?? {} }).flatMap((section) => section.rows)
    .map((row): [string, string] => [row.label, row.value]);
  const shared = Object.entries(n.sharedItems ?? {}).filter(([item]) => Object.hasOwn(sharedItems, item))
    .map(([item, value]): [string, string] => [sharedItems[item as SharedItem].label, value]);
  return [
    {
      heading: 'The incident',
      rows: rows([['Police reference', n.policeReference], ['When it happened', formatDateTime(n.occurredAt)], ['Force', n.forceName], ['What happened', n.account], ...added, ...shared]),
    },
    ...source.children.map((child, index) => ({
      heading: `Child ${index + 1}`,
      rows: rows([
        ['Name', `${child.forename} ${child.surname}`], ['Date of birth', formatDate(child.dateOfBirth)],
        ['Present', yesNo(child.present)], ['Spoken to', yesNo(child.spokenTo)], ['What the child said', given(child.words, 'Nothing recorded')],
      ]),
    })),
    { heading: 'Police contact', rows: rows([['Name', n.contactName], ['Phone', n.contactPhone], ['Email', given(n.contactEmail)], ['Sent by', n.sentByName]]) },
    {
      heading: 'Acknowledgement',
      rows: rows([
        ['Sent to', n.destinationName], ['Acknowledged by', n.acknowledgedByName], ['Acknowledged', formatDateTime(n.acknowledgedAt)],
        ['What will be done', n.schoolAction ? schoolActionLabels[n.schoolAction] : null], ['Details', n.schoolActionDetail],
      ]),
    },
  ];
}

/** The document (or, for a police notification about several children, one per child's folder) a filing makes. */
export function documentsFor(source: FilingSource, event: FilingEvent, byName: string): DocumentContent[] {
  const sections = submissionSections(source, event);
  if (source.kind === 'concern') {
    const c = source.concern;
    const decided = event === 'decided';
    return [{
      part: 1,
      name: decided ? `Decision on concern ${c.reference}` : `Concern ${c.reference} as sent`,
      title: decided ? `Front door decision on concern ${c.reference}` : `Concern ${c.reference}`,
      reference: c.reference,
      formVersion: decided ? (source.decisionFormVersion ?? 1) : source.formVersion,
      by: decided ? byName : `${c.submittedByName}, ${c.organisationName}`,
      at: decided ? (c.decidedAt ?? new Date()) : c.receivedAt,
      sections,
    }];
  }
  const n = source.notification;
  // One copy for each child's folder; children with no record on file share the unmatched folder's one.
  const folders = [...new Set(source.children.map((child) => child.childId))];
  return (folders.length ? folders : [null]).map((childId, index) => ({
    childId,
    part: index + 1,
    name: `Police notification ${n.reference} as acknowledged`,
    title: `Police notification ${n.reference} (Operation Encompass)`,
    reference: n.reference,
    formVersion: source.formVersion,
    by: `${byName}, ${n.destinationName}`,
    at: n.acknowledgedAt ?? new Date(),
    sections,
  }));
}
