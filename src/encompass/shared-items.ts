// What a police force shares with schools by local agreement, beside what every notification
// carries (Operation Encompass, issue 14). Local formats differ, so each optional item is
// switched on or off per force in configuration: ENCOMPASS_SHARED_ITEMS, JSON by Home Office
// force code, e.g. {"01": ["location", "whoWasInvolved"], "44": ["location"]}. A force not
// named shares none of them. The form asks only for the items switched on for the officer's
// force; the send stores only those.
export const sharedItems = {
  location: { label: 'Where it happened', hint: 'For example, the family home, or another address' },
  whoWasInvolved: { label: 'Who was involved', hint: 'Their relationship to the child, for example mother and her partner' },
  arrestMade: { label: 'Whether anyone was arrested', hint: 'For example, partner arrested and in custody' },
  previousIncidents: { label: 'Previous incidents at the address', hint: 'For example, the third call-out this year' },
} as const;

export type SharedItem = keyof typeof sharedItems;
export const sharedItemNames = Object.keys(sharedItems) as SharedItem[];
const isSharedItem = (value: unknown): value is SharedItem => typeof value === 'string' && Object.hasOwn(sharedItems, value);

/** What is wrong with an ENCOMPASS_SHARED_ITEMS value, in words for the start-up message; undefined when fine. */
export function sharedItemsProblem(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'must be JSON, e.g. {"01": ["location", "whoWasInvolved"]}';
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return 'must be a JSON object of force codes';
  for (const [code, items] of Object.entries(parsed)) {
    if (!/^[0-9]{2}$/.test(code)) return `"${code}" is not a force code (two digits)`;
    if (!Array.isArray(items)) return `force ${code}: must be a list of items`;
    const unknown = items.find((item) => !isSharedItem(item));
    if (unknown !== undefined) return `force ${code}: "${String(unknown)}" is not one of ${sharedItemNames.join(', ')}`;
  }
  return undefined;
}

/** Items switched on, by force code. */
export type SharedItemsByForce = ReadonlyMap<string, readonly SharedItem[]>;

/** The configured items by force (an unset or empty setting: none for every force). Checked at start-up. */
export function parseSharedItems(text: string | undefined): SharedItemsByForce {
  if (!text) return new Map();
  const problem = sharedItemsProblem(text);
  if (problem) throw new Error(`ENCOMPASS_SHARED_ITEMS ${problem}`);
  const parsed = JSON.parse(text) as Record<string, SharedItem[]>;
  // In the catalogue's order, once each, whatever order the setting gave.
  return new Map(Object.entries(parsed).map(([code, items]) => [code, sharedItemNames.filter((name) => items.includes(name))]));
}
