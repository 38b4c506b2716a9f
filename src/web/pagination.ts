// "Page 2 of 5" pagination as views/partials/govuk/pagination takes it: previous and next links
// where there is such a page, and the current page as the one item. Shared by the paged lists'
// presenters (children, the front door's queue).

export interface PaginationLink {
  href: string;
}

export interface PaginationItem {
  number: string;
  href: string;
  current: boolean;
  visuallyHiddenText: string;
}

export interface Pagination {
  landmarkLabel: string;
  previous: PaginationLink | null;
  next: PaginationLink | null;
  items: PaginationItem[];
}

/** The pagination for page `page` of `pages`, or null when everything fits on one page. */
export function pagination(page: number, pages: number, href: (page: number) => string, landmarkLabel: string): Pagination | null {
  if (pages <= 1) return null;
  return {
    landmarkLabel,
    previous: page > 1 ? { href: href(page - 1) } : null,
    next: page < pages ? { href: href(page + 1) } : null,
    items: [{ number: `${page} of ${pages}`, href: href(page), current: true, visuallyHiddenText: `Page ${page} of ${pages}` }],
  };
}
