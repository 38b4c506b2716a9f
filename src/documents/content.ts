// What a filed document says, from the stored records: a title, the reference, the form version,
// who and when, and the questions and answers as [{ heading, rows: [{ label, value }] }], with
// the labels the portal's own pages use (src/concerns/presenter.ts, src/encompass/presenter.ts).
// submissionSections() has the shape of the forms helper's function of the same name (issue 16
// point 1, forms/): when that lands, it replaces this one and documents follow the form's version.
import type { FilingEvent, FilingSource } from '../access/index.ts';
import { categoryLabel, kindsInWords } from '../concerns/categories.ts';
import { decisionLabels } from '../concerns/decisions.ts';
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

const yesNo = (value: boolean) => (value ? 'Yes' : 'No');
const given = (value: string | null | undefined, otherwise = 'Not given') => (value && value.trim() ? value : otherwise);
const rows = (pairs: Array<[string, string | null | undefined] | null>) =>
  pairs.flatMap((pair) => (pair && pair[1] !== null && pair[1] !== undefined ? [{ label: pair[0], value: pair[1] }] : []));

/** The questions and answers of a stored submission, decision or acknowledgement. */
export function submissionSections(source: FilingSource, event: FilingEvent): Section[] {
  if (source.kind === 'concern') {
    const c = source.concern;
    const concern: Section = {
      heading: 'The concern',
      rows: rows([
        [c.otherCategories.length ? 'Kinds of concern' : 'Kind of concern', kindsInWords(c.category, c.otherCategories)],
        ['What happened', c.whatHappened],
        ['When', formatDate(c.happenedOn)],
        ['The child’s own words', given(c.childWords, 'None given')],
        ['Immediate risk of harm', yesNo(c.immediateRisk)],
        ['What has been done', given(c.actionsTaken, 'None given')],
        ['Parents or carers aware', yesNo(c.parentsAware)],
        c.parentsAware ? null : ['Why not', given(c.parentsNotAwareReason)],
      ]),
    };
    if (event === 'decided') {
      return [
        { heading: 'The concern', rows: rows([['Reference', c.reference], ['Kind of concern', categoryLabel(c.category)], ['Sent by', `${c.submittedByName}, ${c.organisationName}`], ['Received', formatDateTime(c.receivedAt)]]) },
        {
          heading: 'The decision',
          rows: rows([
            ['Decision', c.decision ? decisionLabels[c.decision] : 'Not decided'],
            ['Reason', given(c.decisionReason, 'None given')],
            ['Feedback to the partner', given(c.feedback, 'None given')],
            ['Decided by', c.decidedByName],
            ['Decided', formatDateTime(c.decidedAt)],
          ]),
        },
      ];
    }
    return [
      {
        heading: 'The child',
        rows: rows([
          ['First name', given(c.childForename)], ['Last name', given(c.childSurname)], ['Date of birth', given(formatDate(c.childDateOfBirth))],
          ['NHS number', given(c.childNhsNumber)], ['Unique pupil number (UPN)', given(c.childUpn)], ['Address', given(c.childAddress)], ['Postcode', given(c.childPostcode)],
        ]),
      },
      concern,
      { heading: 'Who sent it', rows: rows([['Sent by', c.submittedByName], ['Organisation', c.organisationName], ['Phone', c.referrerPhone], ['Email', given(c.referrerEmail)]]) },
    ];
  }
  const n = source.notification;
  const shared = Object.entries(n.sharedItems ?? {}).filter(([item]) => Object.hasOwn(sharedItems, item))
    .map(([item, value]): [string, string] => [sharedItems[item as SharedItem].label, value]);
  return [
    {
      heading: 'The incident',
      rows: rows([['Police reference', n.policeReference], ['When it happened', formatDateTime(n.occurredAt)], ['Force', n.forceName], ['What happened', n.account], ...shared]),
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
