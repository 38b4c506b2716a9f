// Records reduced to what the policy releases. A released record carries its id, the names of
// the fields released, and only the columns behind those fields: nothing else of the row (not
// even the attributes the policy tested) leaves src/access/.
import type { ChildView } from '../audit/access-log.ts';
import type { ChildField, ConcernField } from '../policy/fields.ts';
import type { ChildRecord } from './child-records.ts';
import type { ChronologyEntry } from './chronology.ts';
import { concernColumns, type ConcernRecord } from './concern-records.ts';

/** Which columns of a child's record each field needs (chronology and viewedBy are fetched apart). */
const childColumns = {
  forename: ['forename'], surname: ['surname'], dateOfBirth: ['dateOfBirth'], gender: ['gender'],
  nhsNumber: ['nhsNumber'], upn: ['upn'], address: ['address'], postcode: ['postcode'],
  legalStatus: ['openKinds'], cpCategory: ['cpCategory'], involvementStartDate: ['involvementStartDate'],
  nextReviewDate: ['nextReviewDate'], cpisStatus: ['openKinds'], cpisStartDate: ['cpStartDate', 'lookedAfterStartDate'],
  workerName: ['workerName'], teamName: ['teamName'], workerPhone: ['workerPhone'], teamPhone: ['teamPhone'],
  councilName: ['councilName'], dutyPhone: ['dutyPhone'], outOfHoursPhone: ['outOfHoursPhone'],
  relationships: ['currentRelationships'], chronology: [], viewedBy: [],
} as const satisfies Record<ChildField, ReadonlyArray<keyof ChildRecord>>;

type ChildColumn = (typeof childColumns)[ChildField][number];

export type ReleasedChild = { id: string; fields: ChildField[]; chronology?: ChronologyEntry[]; viewedBy?: ChildView[] }
  & Partial<Pick<ChildRecord, ChildColumn>>;

export function releaseChild(record: ChildRecord, fields: ChildField[], extras: { chronology?: ChronologyEntry[]; viewedBy?: ChildView[] } = {}): ReleasedChild {
  const released: ReleasedChild = { id: record.id, fields };
  for (const field of fields) {
    for (const column of childColumns[field]) (released as Record<string, unknown>)[column] = record[column];
  }
  if (fields.includes('chronology')) released.chronology = extras.chronology ?? [];
  if (fields.includes('viewedBy')) released.viewedBy = extras.viewedBy ?? [];
  return released;
}

type ConcernColumn = (typeof concernColumns)[ConcernField][number];

export type ReleasedConcern = Pick<ConcernRecord, 'id' | 'reference' | 'organisationId' | 'childId'> & { fields: ConcernField[] }
  & Partial<Pick<ConcernRecord, 'formVersion'>>
  & Partial<Pick<ConcernRecord, ConcernColumn>>;

export function releaseConcern(record: ConcernRecord, fields: ConcernField[]): ReleasedConcern {
  // The form version travels with the concern: it says which questions its answers are to.
  const released: ReleasedConcern = { id: record.id, reference: record.reference, organisationId: record.organisationId, childId: record.childId, formVersion: record.formVersion, fields };
  for (const field of fields) {
    for (const column of concernColumns[field]) (released as Record<string, unknown>)[column] = record[column];
  }
  return released;
}
