// The front door's six outcomes for a partner's concern (DESIGN.md §4), as stored in
// concerns.decision and as people read them: on the front door's pages and the partner's.
export const decisionLabels = {
  no_further_action: 'No further action',
  advice_given: 'Advice given',
  early_help: 'Early help',
  referral_to_social_care: 'Referral to children’s social care',
  strategy_discussion: 'Strategy discussion',
  // Offered only for a child who is open and has an allocated social worker (issue 11).
  passed_to_allocated_worker: 'Passed to the allocated social worker',
} as const;

export type Decision = keyof typeof decisionLabels;
export const decisions = Object.keys(decisionLabels) as Decision[];
export const isDecision = (value: string): value is Decision => Object.hasOwn(decisionLabels, value);
