// The codes of the DfE children in need (CIN) census a concern's category can be reported under:
// the categories of abuse of a child protection plan, and the factors identified at the end of
// assessment. A form file's category with any other code stops the start (./load.ts). The
// council's data team checks this list against the year's CIN census guide when it is published.
export const cinCensusCodes = {
  NEG: 'Neglect', PHY: 'Physical abuse', SAB: 'Sexual abuse', EMO: 'Emotional abuse', MUL: 'Multiple categories',
  '1A': 'Alcohol misuse: the child', '1B': 'Alcohol misuse: a parent or carer', '1C': 'Alcohol misuse: another person',
  '2A': 'Drug misuse: the child', '2B': 'Drug misuse: a parent or carer', '2C': 'Drug misuse: another person',
  '3A': 'Domestic abuse: the child', '3B': 'Domestic abuse: a parent or carer', '3C': 'Domestic abuse: another person',
  '4A': 'Mental health: the child', '4B': 'Mental health: a parent or carer', '4C': 'Mental health: another person',
  '5A': 'Learning disability: the child', '5B': 'Learning disability: a parent or carer', '5C': 'Learning disability: another person',
  '6A': 'Physical disability or illness: the child', '6B': 'Physical disability or illness: a parent or carer', '6C': 'Physical disability or illness: another person',
  '7A': 'Young carer', '8B': 'Privately fostered', '9A': 'Unaccompanied asylum-seeking child', '10A': 'Going or being missing',
  '11A': 'Child sexual exploitation', '12A': 'Trafficking', '13A': 'Gangs', '14A': 'Socially unacceptable behaviour', '15A': 'Self-harm',
  '16A': 'Abuse or neglect: neglect', '17A': 'Abuse or neglect: emotional abuse', '18B': 'Abuse or neglect: physical abuse',
  '19B': 'Abuse or neglect: sexual abuse', '20': 'Other', '21': 'No factors identified', '22A': 'Child criminal exploitation',
  '23A': 'Female genital mutilation', '24A': 'Abuse linked to faith or belief',
} as const;

export const isCinCensusCode = (code: string): boolean => Object.hasOwn(cinCensusCodes, code);
