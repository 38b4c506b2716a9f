// The children list's view model (views/children/list.eta and _results.eta): each child as a
// row of display values (by src/children/summary.ts, the child presenter), the legal status
// select and the pagination. One child's summary page is presentChildSummary in summary.ts.
import type { LegalStatusFilter, ReleasedChild } from '../access/index.ts';
import { pagination, type Pagination } from '../web/pagination.ts';
import { childName, legalStatusLabels, presentChild } from './summary.ts';

export interface ChildRow {
  href: string;
  /** The child's name where released, otherwise the link says what it opens. */
  name: string;
  dateOfBirth: string;
  legalStatus: string;
  nextReviewDate: string;
}

export interface SelectItem {
  value: string;
  text: string;
  selected: boolean;
}

export interface ChildListView {
  title: string;
  name: string;
  total: number;
  countText: string;
  statusItems: SelectItem[];
  children: ChildRow[];
  pagination: Pagination | null;
}

export interface ChildListInput {
  children: ReleasedChild[];
  total: number;
  page: number;
  pages: number;
  name: string;
  status: LegalStatusFilter | null;
  /** The legal statuses to filter by, in the order the select lists them. */
  statuses: readonly LegalStatusFilter[];
}

/** A released field's display value, or nothing where the field is not released (or empty). */
const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));

export function presentChildList({ children, total, page, pages, name, status, statuses }: ChildListInput): ChildListView {
  const href = (p: number) => `/children?name=${encodeURIComponent(name)}&status=${encodeURIComponent(status ?? '')}&page=${p}`;
  return {
    title: 'Children',
    name,
    total,
    countText: `${total} ${total === 1 ? 'child' : 'children'}`,
    statusItems: [
      { value: '', text: 'Any', selected: false },
      ...statuses.map((value) => ({ value, text: legalStatusLabels[value], selected: value === status })),
    ],
    children: children.map((record) => {
      const child = presentChild(record);
      return {
        href: `/children/${child.id}`,
        name: childName(child) || 'View summary',
        dateOfBirth: text(child.dateOfBirth),
        legalStatus: text(child.legalStatus),
        nextReviewDate: text(child.nextReviewDate),
      };
    }),
    pagination: pagination(page, pages, href, 'Pages of results'),
  };
}
