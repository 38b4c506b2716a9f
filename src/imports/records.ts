// What every import source turns its files into, and what the merge (./merge/) writes into the
// case record. Each source's parser (./sources/<source>/) streams its files and yields these
// canonical records; it never touches the database. The runner (./run.ts) batches them, hands
// each batch to the merge in one transaction, and collects the report.
//
// Dates are ISO `YYYY-MM-DD` strings, already checked. Identifiers are normalised (UPN upper
// case without spaces, NHS number ten digits) and already checked; a record whose identifier
// failed its check has the identifier left out and an issue reported, or is rejected outright
// when the identifier is what the record is about (a school-roll row without a valid UPN).
import type { Issue } from './issues.ts';

export const importSources = ['ssd', 'cin-census', 'ssda903', 'school-roll', 'gp-registration', 'flags'] as const;
export type ImportSource = (typeof importSources)[number];

/** Where a record came from: the file and the 1-based line (CSV, header is line 1) or the element path (XML). */
export interface Where {
  file: string;
  /** CSV: the line the record starts on (the header row is line 1). */
  line?: number;
  /** XML: for example `Message/Children/Child[12]/CINdetails[2]/ChildProtectionPlans`. */
  path?: string;
}

export type Gender = 'male' | 'female' | 'other' | 'not_known';
export type InvolvementKind = 'child_in_need' | 'child_protection' | 'looked_after';
export type CpCategory = 'NEG' | 'PHY' | 'SAB' | 'EMO' | 'MUL';

/**
 * A child as one source knows them, keyed by the case system's own id (SSD `pers_person_id`,
 * CIN census `LAchildID`, SSDA903 `CHILD`: councils draw all three from the same case system).
 * A field left undefined is one this source does not carry: the merge keeps what is stored.
 * `null` means the source says there is none.
 */
export interface ChildIn {
  kind: 'child';
  where: Where;
  caseSystemId: string;
  forename?: string | null;
  surname?: string | null;
  dateOfBirth?: string | null;
  gender?: Gender | null;
  upn?: string | null;
  /** Earlier UPNs (SSD linked identifiers 'Former Unique Pupil Number'). */
  formerUpns?: string[];
  nhsNumber?: string | null;
  address?: string | null;
  postcode?: string | null;
  dateOfDeath?: string | null;
}

/**
 * An episode of social care: a child-in-need episode, a child protection plan or a period looked
 * after. `episodeId` is the case system's id where it has a stable one; some case systems renumber
 * episodes between runs, so the merge also matches on (child, kind, start date).
 */
export interface InvolvementIn {
  kind: 'involvement';
  where: Where;
  caseSystemId: string;
  involvementKind: InvolvementKind;
  episodeId?: string | null;
  startDate: string;
  endDate?: string | null;
  /** Child protection plans only: the latest category of abuse. */
  cpCategory?: CpCategory | null;
  nextReviewDate?: string | null;
}

/** The allocated case worker (SSD involvement role 'CW'), with what the feed says about them. */
export interface AllocationIn {
  kind: 'allocation';
  where: Where;
  caseSystemId: string;
  worker: {
    /** The case system's professional id (`prof_professional_id`), when there is one. */
    caseSystemId?: string | null;
    name: string;
    /** Social Work England registration number (`prof_social_worker_registration_no`). */
    registrationNumber?: string | null;
    team?: string | null;
    /** Missing in most feeds: the merge then takes it from the council's own directory. */
    phone?: string | null;
    email?: string | null;
  };
  startDate: string;
  endDate?: string | null;
}

/**
 * A school enrolment (school roll: UPN at a school URN) or a GP registration (NHS number at a
 * practice ODS code). Matched to a child by the identifier, never by name.
 */
export interface RelationshipIn {
  kind: 'relationship';
  where: Where;
  relationship: 'enrolled' | 'registered';
  /** `formerUpn`: a school roll's earlier UPN for the pupil, to match a child stored under it. */
  child: { upn?: string; nhsNumber?: string; caseSystemId?: string; formerUpn?: string };
  /** A school's URN (six digits) or a GP practice's ODS code. */
  organisationCode: string;
  startDate: string;
  endDate?: string | null;
}

/** The council's own flags for a child, which no extract carries. */
export interface FlagsIn {
  kind: 'flags';
  where: Where;
  caseSystemId: string;
  sealed: boolean;
  addressWithheld: boolean;
  restricted: boolean;
}

export type ImportRecord = ChildIn | InvolvementIn | AllocationIn | RelationshipIn | FlagsIn;
export type RecordKind = ImportRecord['kind'];

/** A file handed to a parser: read once, as a stream; never stored. */
export interface InputFile {
  /** The name as uploaded or given on the command line (no directory): it decides the SSD table. */
  name: string;
  open(): NodeJS.ReadableStream;
}

/**
 * A source's parser. It yields every child before any record that refers to that child, and
 * reports (instead of yielding) what it cannot accept: `read` counts every record it yields plus
 * every record it rejects, so that the report adds up.
 */
export interface SourceParser {
  source: ImportSource;
  /** Which files this source wants, and a message for each file it does not recognise. */
  checkFiles(names: string[]): { ok: true } | { ok: false; message: string };
  parse(files: InputFile[], report: ParseReport): AsyncIterable<ImportRecord>;
  /**
   * What the files are a complete picture of: records of these kinds from this source that were
   * current and are absent from this import are ended (given an end date), never deleted.
   * `[]` for a source that only adds (a flags file lists only the flagged children).
   */
  snapshotOf: RecordKind[];
}

export interface ParseReport {
  /** A record the parser cannot use (rejected) or will not guess about (held). Counted as read. */
  issue(issue: Issue): void;
  /** Progress for the CLI's bar and the page: bytes read so far of all files. */
  progress(bytesRead: number): void;
}
