// A filed document (issue 16): a PDF of a concern as sent, a front-door decision, or a police
// notification as acknowledged, filed to the child's folder (or to the unmatched folder). It is
// released whole: a reader sees its name, dates, form version and hash, and may download it.
export const documentFieldNames = ['document'] as const;
export type DocumentField = (typeof documentFieldNames)[number];

/**
 * What policy conditions can test about a document: whose submission it is, and (through its
 * folder's child) who is allocated to the child and whether the child's record is sealed.
 */
export interface DocumentAttributes {
  id: string;
  /** The organisation that made the submission, decision or acknowledgement it files. */
  organisationId: string;
  /** The social worker allocated now to the folder's child; null for the unmatched folder or nobody. */
  allocatedWorkerId: string | null;
  /** The folder's child's record is sealed (false for the unmatched folder). */
  sealed: boolean;
}
