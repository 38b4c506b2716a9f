// The forms and their versions as views/forms/ show them: every version of each form, newest
// first, with its "what's changed" note, the day it takes effect, and its questions.
import { formatDate } from '../web/format.ts';
import type { FormCatalogue, FormDefinition } from './load.ts';
import type { FormId } from './schema.ts';
import { currentVersion, questionsOf, versionsOf } from './versions.ts';

export interface FormSummaryView {
  href: string;
  title: string;
  current: string;
  versions: string;
}

export interface FormsView {
  title: string;
  forms: FormSummaryView[];
}

export interface VersionView {
  id: string;
  heading: string;
  /** In effect now, scheduled, or replaced: a tag. */
  status: { text: string; classes: string };
  effective: string;
  summary: string;
  details: string | null;
  questions: string[];
  categories: string[];
}

export interface FormVersionsView {
  title: string;
  versions: VersionView[];
}

const effectiveOn = (definition: FormDefinition) => formatDate(definition.effective_from) ?? definition.effective_from;

export function presentForms(catalogue: FormCatalogue, forms: readonly FormId[], now: Date = new Date()): FormsView {
  return {
    title: 'Forms and what changed',
    forms: forms.map((id) => {
      const current = currentVersion(catalogue, id, now);
      const count = versionsOf(catalogue, id).length;
      return { href: `/forms/${id}`, title: current.title, current: `Version ${current.version}, since ${effectiveOn(current)}`, versions: `${count} ${count === 1 ? 'version' : 'versions'}` };
    }),
  };
}

export function presentFormVersions(catalogue: FormCatalogue, id: FormId, now: Date = new Date()): FormVersionsView {
  const current = currentVersion(catalogue, id, now);
  return {
    title: `${current.title}: versions`,
    versions: [...versionsOf(catalogue, id)].reverse().map((definition) => ({
      id: `version-${definition.version}`,
      heading: `Version ${definition.version}`,
      status: definition.version === current.version
        ? { text: 'In use', classes: 'govuk-tag--green' }
        : definition.version > current.version ? { text: 'Scheduled', classes: 'govuk-tag--blue' } : { text: 'Replaced', classes: 'govuk-tag--grey' },
      effective: `${definition.version > current.version ? 'Takes effect' : 'Took effect'} on ${effectiveOn(definition)}`,
      summary: definition.changes.summary,
      details: definition.changes.details ?? null,
      questions: questionsOf(definition).map((question) => question.label),
      categories: (definition.categories ?? []).map((category) => category.label),
    })),
  };
}
