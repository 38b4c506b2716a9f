// The council's list of concern categories, each mapped to the DfE children in need (CIN)
// census code it is reported under: the category of abuse (NEG, PHY, SAB, EMO) where there is
// one, otherwise the assessment factor code. The council's data team confirms the factor
// codes against the current year's CIN census guide when it publishes.
export const concernCategories = {
  neglect: { label: 'Neglect', cinCensusCode: 'NEG' },
  physical_abuse: { label: 'Physical abuse', cinCensusCode: 'PHY' },
  sexual_abuse: { label: 'Sexual abuse', cinCensusCode: 'SAB' },
  emotional_abuse: { label: 'Emotional abuse', cinCensusCode: 'EMO' },
  domestic_abuse: { label: 'Domestic abuse', cinCensusCode: '3A' },
  child_sexual_exploitation: { label: 'Child sexual exploitation', cinCensusCode: '11A' },
  child_criminal_exploitation: { label: 'Child criminal exploitation', cinCensusCode: '22A' },
  self_harm: { label: 'Self-harm', cinCensusCode: '15A' },
  missing: { label: 'Missing from home, care or education', cinCensusCode: '10A' },
  other: { label: 'Other', cinCensusCode: '20' },
} as const;

export type ConcernCategory = keyof typeof concernCategories;
export const isConcernCategory = (value: string): value is ConcernCategory => Object.hasOwn(concernCategories, value);

/** The kinds of a concern in words, the main one first and said to be main when there are others. */
export function kindsInWords(main: ConcernCategory, others: readonly ConcernCategory[] = []): string {
  const label = concernCategories[main].label;
  if (others.length === 0) return label;
  return [`${label} (main concern)`, ...others.map((kind) => concernCategories[kind].label)].join(', ');
}
