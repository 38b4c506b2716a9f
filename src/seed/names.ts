// Word lists for synthetic children and their chronologies. Forenames and surnames are
// combined at random, and street names are invented for the fictional city of Northbridge, so
// no record describes a real person or address. The lists reflect the names of children in
// England today: long-established English, Welsh, Scottish and Irish names alongside South
// Asian, African, Caribbean, Eastern European, Middle Eastern and East Asian ones.

export const GIRLS_FORENAMES = [
  'Olivia', 'Amelia', 'Isla', 'Ava', 'Lily', 'Freya', 'Ivy', 'Florence', 'Grace', 'Mia',
  'Evie', 'Poppy', 'Ruby', 'Ellie', 'Sienna', 'Chloe', 'Esme', 'Harriet', 'Nia', 'Leah',
  'Aisha', 'Maryam', 'Fatima', 'Zara', 'Hafsa', 'Priya', 'Ananya', 'Simran', 'Amara', 'Adaeze',
  'Chioma', 'Imani', 'Keira', 'Tia', 'Zofia', 'Oliwia', 'Maja', 'Sofia', 'Mei', 'Yasmin',
] as const;

export const BOYS_FORENAMES = [
  'Oliver', 'Noah', 'George', 'Arthur', 'Leo', 'Harry', 'Oscar', 'Archie', 'Jack', 'Theo',
  'Freddie', 'Alfie', 'Finley', 'Callum', 'Rhys', 'Dylan', 'Ethan', 'Samuel', 'Reuben', 'Mason',
  'Muhammad', 'Ibrahim', 'Yusuf', 'Hamza', 'Zayn', 'Rayan', 'Omar', 'Aarav', 'Arjun', 'Rohan',
  'Tobi', 'Kwame', 'Emeka', 'Jayden', 'Kai', 'Jakub', 'Kacper', 'Luca', 'Darius', 'Ravi',
] as const;

export const SURNAMES = [
  'Smith', 'Jones', 'Williams', 'Taylor', 'Brown', 'Davies', 'Evans', 'Wilson', 'Thomas', 'Roberts',
  'Johnson', 'Wright', 'Walker', 'Edwards', 'Hughes', 'Green', 'Hall', 'Lewis', 'Clarke', 'Jackson',
  'Turner', 'Cooper', 'Ward', 'Morris', 'Baker', 'Harrison', 'Morgan', 'Phillips', 'Bennett', 'Griffiths',
  'Murphy', "O'Brien", 'Kelly', 'Campbell', 'Fraser', 'MacDonald', 'Francis', 'Grant', 'Clayton', 'Shaw',
  'Patel', 'Khan', 'Ahmed', 'Hussain', 'Ali', 'Begum', 'Shah', 'Singh', 'Kaur', 'Mahmood',
  'Rahman', 'Akhtar', 'Sharma', 'Gill', 'Chowdhury', 'Iqbal', 'Mistry', 'Okafor', 'Adeyemi', 'Okoro',
  'Mensah', 'Osei', 'Mohamed', 'Abdi', 'Farah', 'Nowak', 'Kowalczyk', 'Wojcik', 'Popescu', 'Ionescu',
  'Chen', 'Wong', 'Nguyen', 'Yilmaz', 'Demir', 'Haddad', 'Santos', 'Ferreira', 'Kaya', 'Petrova',
] as const;

/** Invented streets of Northbridge. */
export const STREETS = [
  'Alder Road', 'Ashgrove Avenue', 'Bankside Terrace', 'Beacon Lane', 'Birchfield Close', 'Bridgewater Street',
  'Brookfield Avenue', 'Canal Wharf', 'Carr Mill Road', 'Chapel Fold', 'Cinder Hill', 'Coalpit Lane',
  'Cotton Street', 'Dale View', 'Elmtree Crescent', 'Ferry Road', 'Foundry Walk', 'Gasworks Lane',
  'Glebe Street', 'Hawthorn Drive', 'Heron Close', 'Hollins Lane', 'Kiln Croft', 'Lark Rise',
  'Linden Way', 'Lockkeeper Row', 'Low Moor Road', 'Maltings Court', 'Mill Race Lane', 'Northgate',
  'Orchard Grove', 'Paddock Rise', 'Quarry Bank', 'Riverside Walk', 'Ropewalk', 'Sandpiper Way',
  'Slater Street', 'Tannery Lane', 'Weavers Court', 'Willow Bank',
] as const;

/** Some children live in flats, so addresses are not all "number street". */
export const FLAT_PREFIXES = ['Flat 1', 'Flat 2', 'Flat 3', 'Flat 4', 'Flat 5', 'Flat 6', 'Flat 8', 'Flat 12'] as const;

// Short, neutral chronology summaries: what happened and who said so, never names or graphic
// detail, because demo screens get shown in meetings and screenshots.
export const CHRONOLOGY_SUMMARIES = {
  referral: {
    education: [
      'Referral from school: concerns about attendance and the child’s presentation.',
      'Referral from school following something the child said to a member of staff.',
    ],
    health: [
      'Referral from health: missed appointments and concerns about conditions at home.',
      'Referral from health following an injury without a clear explanation.',
    ],
    police: [
      'Referral from police following a domestic incident at the home address.',
      'Referral from police after the child was reported missing.',
    ],
    council: [
      'Contact from a relative raising concerns about care at home.',
      'Referral from housing services about conditions at the property.',
    ],
  },
  assessment: [
    'Child and family assessment started.',
    'Child and family assessment completed; plan agreed with the family.',
    'Assessment updated following a change in circumstances.',
  ],
  strategy_discussion: ['Strategy discussion held with police, health and school; section 47 enquiries agreed.'],
  child_protection_conference: ['Initial child protection conference: child protection plan agreed.'],
  home_visit: [
    'Home visit completed; child seen alone.',
    'Announced home visit; child seen with parent.',
    'Unannounced home visit; no answer, visit rearranged.',
  ],
  school_report: [
    'School report: attendance below 90% this term.',
    'School report: child settled in class; no new concerns.',
    'School report: child arrived without breakfast on two occasions this week.',
  ],
  health_report: [
    'Health report: development checks up to date.',
    'Health report: immunisations outstanding; appointment offered.',
    'Health report: attended the emergency department; discharged the same day.',
  ],
  police_notification: [
    'Police notification: domestic incident reported at the home address; child present.',
    'Police notification: child reported missing overnight; returned the next morning.',
    'Police notification: welfare check completed; no further action.',
  ],
} as const;

export type ChronologyEventType = keyof typeof CHRONOLOGY_SUMMARIES;
