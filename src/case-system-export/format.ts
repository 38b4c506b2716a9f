// One case-system event as JSON: the shape docs/case-system-export.md documents, the same in the
// export file (one per line) and in a webhook's body. Every event carries the concern as the
// partner sent it, so a case system can file any one event without having seen the others; an
// information_added event adds the follow-up, a decided event the decision.
import { concernCategories, isConcernCategory } from '../concerns/categories.ts';
import { decisionLabels, isDecision } from '../concerns/decisions.ts';
import type { ConcernRecord } from '../access/concern-records.ts';
import type { EventKind } from './events.ts';

/** The format's name and version: a receiver refuses a version it does not know. */
export const EVENT_SCHEMA = 'spp.case-system-event/1';

/**
 * The CIN census referral source (DfE's ReferralSource codes) for a partner's kind of
 * organisation: who the case system should record as the source of a contact. Confirm against
 * the current year's CIN census guide (as for the categories' codes in src/concerns/categories.ts).
 */
export const referralSources: Record<string, { code: string; label: string }> = {
  school: { code: '2A', label: 'Schools' },
  gp_practice: { code: '3A', label: 'Health services – GP' },
  health_visiting_team: { code: '3B', label: 'Health services – Health visitor' },
  school_nursing_team: { code: '3C', label: 'Health services – School nurse' },
  emergency_department: { code: '3E', label: 'Health services – A&E' },
  police_force: { code: '6', label: 'Police' },
  local_authority: { code: '5B', label: 'LA services – Other internal' },
};

/** A row as events.ts reads it: the event, its concern (named as ConcernRecord names them), and the follow-up or decision. */
export type EventRow = Pick<ConcernRecord,
  | 'reference' | 'receivedAt' | 'decisionDueAt' | 'organisationName' | 'submittedByName' | 'submittedByRole' | 'referrerPhone' | 'referrerEmail'
  | 'whatHappened' | 'happenedOn' | 'childWords' | 'immediateRisk' | 'actionsTaken' | 'parentsAware' | 'parentsNotAwareReason'
  | 'childForename' | 'childSurname' | 'childDateOfBirth' | 'childNhsNumber' | 'childUpn' | 'childAddress' | 'childPostcode'
  | 'decidedAt' | 'decisionReason' | 'feedback' | 'decidedByName'> & {
  eventId: string;
  position: string;
  kind: EventKind;
  occurredAt: Date;
  organisationKind: string;
  laCode: string | null;
  urn: string | null;
  odsCode: string | null;
  forceCode: string | null;
  /** Read as stored: a kind no longer in the list still goes out, by its code. */
  category: string;
  otherCategories: string[];
  decision: string | null;
  /** The child at the event (case_system_events.child_id), not the concern's child now. */
  childId: string | null;
  caseSystemIds: { system: string; id: string }[];
  followUpAddedAt: Date | null;
  followUpAddedBy: string | null;
  followUpText: string | null;
};

export interface CaseSystemEvent {
  schema: typeof EVENT_SCHEMA;
  id: string;
  sequence: number;
  type: EventKind;
  occurredAt: string;
  concern: {
    reference: string;
    receivedAt: string;
    decisionDueAt: string;
    partner: {
      name: string;
      kind: string;
      code: { scheme: 'la_code' | 'urn' | 'ods_code' | 'force_code'; value: string } | null;
      cinReferralSource: { code: string; label: string } | null;
    };
    referrer: { name: string; role: string; phone: string; email: string | null };
    categories: { code: string; label: string; cinCensusCode: string | null; main: boolean }[];
    whatHappened: string;
    happenedOn: string;
    /** The child's own words, kept apart from the professional's account. */
    childsOwnWords: string | null;
    immediateRisk: boolean;
    actionsTaken: string | null;
    parentsAware: boolean;
    parentsNotAwareReason: string | null;
    childAsDescribed: {
      forename: string | null; surname: string | null; dateOfBirth: string | null;
      nhsNumber: string | null; upn: string | null; address: string | null; postcode: string | null;
    };
  };
  /** The child the portal knows the concern to be about at this event, or null (not matched yet). */
  matchedChild: { portalId: string; caseSystemIds: { system: string; id: string }[] } | null;
  informationAdded?: { addedAt: string; addedBy: string; text: string };
  decision?: { decidedAt: string; outcome: string; outcomeLabel: string; reason: string | null; feedbackToPartner: string | null; decidedBy: string | null };
}

const iso = (value: Date) => value.toISOString();

function organisationCode(row: EventRow): CaseSystemEvent['concern']['partner']['code'] {
  if (row.urn) return { scheme: 'urn', value: row.urn };
  if (row.odsCode) return { scheme: 'ods_code', value: row.odsCode };
  if (row.forceCode) return { scheme: 'force_code', value: row.forceCode };
  if (row.laCode) return { scheme: 'la_code', value: row.laCode };
  return null;
}

function category(code: string, main: boolean) {
  const known = isConcernCategory(code) ? concernCategories[code] : undefined;
  return { code, label: known?.label ?? code, cinCensusCode: known?.cinCensusCode ?? null, main };
}

export function buildEvent(row: EventRow): CaseSystemEvent {
  const event: CaseSystemEvent = {
    schema: EVENT_SCHEMA,
    id: row.eventId,
    sequence: Number(row.position),
    type: row.kind,
    occurredAt: iso(row.occurredAt),
    concern: {
      reference: row.reference,
      receivedAt: iso(row.receivedAt),
      decisionDueAt: iso(row.decisionDueAt),
      partner: {
        name: row.organisationName,
        kind: row.organisationKind,
        code: organisationCode(row),
        cinReferralSource: referralSources[row.organisationKind] ?? null,
      },
      referrer: { name: row.submittedByName, role: row.submittedByRole, phone: row.referrerPhone, email: row.referrerEmail },
      categories: [category(row.category, true), ...row.otherCategories.filter((c) => c !== row.category).map((c) => category(c, false))],
      whatHappened: row.whatHappened,
      happenedOn: row.happenedOn,
      childsOwnWords: row.childWords,
      immediateRisk: row.immediateRisk,
      actionsTaken: row.actionsTaken,
      parentsAware: row.parentsAware,
      parentsNotAwareReason: row.parentsNotAwareReason,
      childAsDescribed: {
        forename: row.childForename, surname: row.childSurname, dateOfBirth: row.childDateOfBirth,
        nhsNumber: row.childNhsNumber, upn: row.childUpn, address: row.childAddress, postcode: row.childPostcode,
      },
    },
    matchedChild: row.childId ? { portalId: row.childId, caseSystemIds: row.caseSystemIds } : null,
  };
  if (row.kind === 'concern.information_added' && row.followUpAddedAt) {
    event.informationAdded = { addedAt: iso(row.followUpAddedAt), addedBy: row.followUpAddedBy ?? '', text: row.followUpText ?? '' };
  }
  if (row.kind === 'concern.decided' && row.decision && row.decidedAt) {
    event.decision = {
      decidedAt: iso(row.decidedAt),
      outcome: row.decision,
      outcomeLabel: isDecision(row.decision) ? decisionLabels[row.decision] : row.decision,
      reason: row.decisionReason,
      feedbackToPartner: row.feedback,
      decidedBy: row.decidedByName,
    };
  }
  return event;
}
