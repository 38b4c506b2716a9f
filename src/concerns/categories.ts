// The council's kinds of concern, each mapped to the DfE children in need (CIN) census code it
// is reported under: the category of abuse (NEG, PHY, SAB, EMO) where there is one, otherwise the
// assessment factor code. They are the concern form's categories (forms/concern/*.yaml): every
// kind any version offered, so that a concern made with a version that has since retired a kind
// is still named and reported. A later version's label wins. The council's data team confirms
// the codes against the current year's CIN census guide when it publishes.
import { FormError, portalForms } from '../forms/load.ts';

export type ConcernCategory = string;

function formCategories(): Record<ConcernCategory, { label: string; cinCensusCode: string }> {
  try {
    const versions = portalForms().forms.get('concern') ?? [];
    const all: Record<string, { label: string; cinCensusCode: string }> = {};
    for (const version of versions) for (const { value, label, cin_code } of version.categories ?? []) all[value] = { label, cinCensusCode: cin_code };
    return all;
  } catch (error) {
    // A bad form file: the start-up check (src/server.ts) stops the server naming the file and place.
    if (error instanceof FormError) return {};
    throw error;
  }
}

export const concernCategories: Readonly<Record<ConcernCategory, { label: string; cinCensusCode: string }>> = formCategories();

export const isConcernCategory = (value: string): value is ConcernCategory => Object.hasOwn(concernCategories, value);

/** A kind's label; the value itself for one no version of the form has (never stored by the portal). */
export const categoryLabel = (kind: string | undefined): string => (kind !== undefined && isConcernCategory(kind) ? concernCategories[kind]!.label : kind ?? '');

/** The kinds of a concern in words, the main one first and said to be main when there are others. */
export function kindsInWords(main: ConcernCategory, others: readonly ConcernCategory[] = []): string {
  const label = categoryLabel(main);
  if (others.length === 0) return label;
  return [`${label} (main concern)`, ...others.map(categoryLabel)].join(', ');
}
