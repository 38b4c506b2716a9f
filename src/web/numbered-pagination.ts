// GOV.UK pagination for a list of numbered pages, as the Design System's pattern shows it
// (https://design-system.service.gov.uk/components/pagination/): "Previous" and "Next" where there
// is such a page, the first and last pages, the current page and the pages either side of it,
// and an ellipsis for each gap. Shaped as views/partials/govuk/pagination takes its params (the
// govukPagination macro's). Shared by the paged lists' presenters.

export interface PaginationLink {
  href: string;
}

export type PaginationItem =
  | { number: string; href: string; current: boolean; visuallyHiddenText: string }
  | { ellipsis: true };

export interface NumberedPagination {
  landmarkLabel: string;
  previous: PaginationLink | null;
  next: PaginationLink | null;
  items: PaginationItem[];
}

/** The page numbers to show: 1, the last, and the current page with one either side. */
export function pageNumbers(page: number, pages: number): Array<number | null> {
  const wanted = [...new Set([1, page - 1, page, page + 1, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  const shown: Array<number | null> = [];
  wanted.forEach((n, index) => {
    const before = wanted[index - 1];
    // A gap of one page shows that page rather than an ellipsis standing for it.
    if (before !== undefined && n - before === 2) shown.push(before + 1);
    else if (before !== undefined && n - before > 2) shown.push(null);
    shown.push(n);
  });
  return shown;
}

/**
 * The pagination for page `page` of `pages` (links made by `href`), or null when everything fits
 * on one page. A page beyond the last still gets links back to the pages there are.
 */
export function numberedPagination(page: number, pages: number, href: (page: number) => string, landmarkLabel: string): NumberedPagination | null {
  if (pages <= 1) return null;
  const current = Math.min(page, pages);
  return {
    landmarkLabel,
    previous: page > 1 ? { href: href(Math.min(page - 1, pages)) } : null,
    next: page < pages ? { href: href(page + 1) } : null,
    items: pageNumbers(current, pages).map((n) => (n === null
      ? { ellipsis: true as const }
      : { number: String(n), href: href(n), current: n === page, visuallyHiddenText: `Page ${n}` })),
  };
}
