// The children list's view model (views/children/list.eta and _results.eta): each child as a
// row of display values (by src/children/summary.ts, the child presenter), the columns the actor's
// policy has fields for, the sortable headers, the legal status select and the pagination. One
// child's summary page is presentChildSummary in summary.ts.
import type { LegalStatusFilter, ListSort, ReleasedChild } from '../access/index.ts';
import type { ChildField } from '../policy/fields.ts';
import { numberedPagination, type NumberedPagination } from '../web/numbered-pagination.ts';
import { childName, legalStatusLabels, presentChild } from './summary.ts';

/** A GOV.UK tag, as views/partials/govuk/tag takes it. */
export interface TagView {
  text: string;
  classes: string;
}

export interface ChildRow {
  href: string;
  /** The child's name where released, otherwise the link says what it opens. */
  name: string;
  dateOfBirth: string;
  /** One tag for each open involvement (most serious first); empty where legal status is not released. */
  legalStatus: TagView[];
  nextReviewDate: string;
}

export interface SelectItem {
  value: string;
  text: string;
  selected: boolean;
}

/** A column's header: sortable ones are links (the GOV.UK sortable-table pattern, without JavaScript). */
export interface ColumnHeader {
  column: 'name' | 'dateOfBirth' | 'legalStatus' | 'nextReviewDate';
  text: string;
  /** The link that sorts by this column (the other way round when it is the current sort); null: not sortable. */
  sortHref: string | null;
  /** aria-sort: ascending or descending on the sorted column, none on the other sortable ones. */
  ariaSort: 'ascending' | 'descending' | 'none' | null;
}

export interface ChildListView {
  title: string;
  name: string;
  total: number;
  countText: string;
  statusItems: SelectItem[];
  /** The columns this actor's policy has fields for, in order: a GP's list has no next review. */
  headers: ColumnHeader[];
  /** Which of the optional columns are shown (the name column always is). */
  columns: { dateOfBirth: boolean; legalStatus: boolean; nextReviewDate: boolean };
  /** The current sort, carried by the search form so that a new search keeps it. */
  sort: { by: string; order: string };
  children: ChildRow[];
  pagination: NumberedPagination | null;
}

export interface ChildListInput {
  children: ReleasedChild[];
  total: number;
  /** More match than were counted (the access module counts up to a limit): `total` is that limit. */
  more?: boolean;
  page: number;
  pages: number;
  name: string;
  status: LegalStatusFilter | null;
  /** The legal statuses to filter by, in the order the select lists them. */
  statuses: readonly LegalStatusFilter[];
  /** The list's columns the access module says the actor may read (`access.listColumns`); every column when not given. */
  columns?: readonly ChildField[];
  /** The sort applied (by name, A to Z, when not given). */
  sort?: ListSort;
}

/** A released field's display value, or nothing where the field is not released (or empty). */
const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));

const DEFAULT_SORT: ListSort = { by: 'name', direction: 'ascending' };
const isDefault = (sort: ListSort) => sort.by === DEFAULT_SORT.by && sort.direction === DEFAULT_SORT.direction;

const legalStatusTags: Record<keyof typeof legalStatusLabels, TagView> = {
  child_protection: { text: legalStatusLabels.child_protection, classes: 'govuk-tag--red' },
  looked_after: { text: legalStatusLabels.looked_after, classes: 'govuk-tag--purple' },
  child_in_need: { text: legalStatusLabels.child_in_need, classes: 'govuk-tag--blue' },
};
const NO_OPEN_INVOLVEMENT: TagView = { text: 'No open involvement', classes: 'govuk-tag--grey' };

/** The legal status as tags, most serious first; none where the field is not released. */
function legalStatusOf(record: ReleasedChild): TagView[] {
  if (!record.fields.includes('legalStatus')) return [];
  const order = ['child_protection', 'looked_after', 'child_in_need'] as const;
  const open = order.filter((kind) => (record.openKinds ?? []).includes(kind));
  return open.length ? open.map((kind) => legalStatusTags[kind]) : [NO_OPEN_INVOLVEMENT];
}

/** The address of the list with this search, sort and page; defaults are left out. */
export function childListHref(search: { name: string; status: LegalStatusFilter | null }, sort: ListSort, page: number): string {
  const query = new URLSearchParams();
  if (search.name) query.set('name', search.name);
  if (search.status) query.set('status', search.status);
  if (!isDefault(sort)) {
    query.set('sort', sort.by);
    query.set('order', sort.direction);
  }
  if (page > 1) query.set('page', String(page));
  const rest = query.toString();
  return rest ? `/children?${rest}` : '/children';
}

export function presentChildList({ children, total, more = false, page, pages, name, status, statuses, columns, sort = DEFAULT_SORT }: ChildListInput): ChildListView {
  const shown = (field: ChildField) => !columns || columns.includes(field);
  const search = { name, status };
  const header = (column: ColumnHeader['column'], label: string, sortable: boolean): ColumnHeader => {
    if (!sortable) return { column, text: label, sortHref: null, ariaSort: null };
    const current = sort.by === column;
    const direction = current && sort.direction === 'ascending' ? 'descending' : 'ascending';
    // A new sort starts again from the first page.
    return { column, text: label, sortHref: childListHref(search, { by: column as ListSort['by'], direction }, 1), ariaSort: current ? sort.direction : 'none' };
  };
  const visible = { dateOfBirth: shown('dateOfBirth'), legalStatus: shown('legalStatus'), nextReviewDate: shown('nextReviewDate') };
  return {
    title: 'Children',
    name,
    total,
    countText: more
      ? `More than ${total.toLocaleString('en-GB')} children. Search by name or choose a legal status to find a child; pages go up to the first ${total.toLocaleString('en-GB')}.`
      : `${total} ${total === 1 ? 'child' : 'children'}`,
    statusItems: [
      { value: '', text: 'Any', selected: false },
      ...statuses.map((value) => ({ value, text: legalStatusLabels[value], selected: value === status })),
    ],
    headers: [
      header('name', 'Name', true),
      visible.dateOfBirth ? header('dateOfBirth', 'Date of birth', false) : null,
      visible.legalStatus ? header('legalStatus', 'Legal status', false) : null,
      visible.nextReviewDate ? header('nextReviewDate', 'Next review or conference', true) : null,
    ].filter((h): h is ColumnHeader => h !== null),
    columns: visible,
    sort: isDefault(sort) ? { by: '', order: '' } : { by: sort.by, order: sort.direction },
    children: children.map((record) => {
      const child = presentChild(record);
      return {
        href: `/children/${child.id}`,
        name: childName(child) || 'View summary',
        dateOfBirth: text(child.dateOfBirth),
        legalStatus: legalStatusOf(record),
        nextReviewDate: text(child.nextReviewDate),
      };
    }),
    pagination: numberedPagination(page, pages, (p) => childListHref(search, sort, p), 'Pages of results'),
  };
}
