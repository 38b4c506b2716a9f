// GOV.UK numbered pagination (src/web/numbered-pagination.ts) and how the partial renders it: the
// first and last pages, the current page and those either side, an ellipsis for each gap (never
// for a gap of one page), previous and next only where there is such a page.
import path from 'node:path';
import { Eta } from 'eta';
import { describe, expect, it } from 'vitest';
import { paths } from '../src/paths.ts';
import { numberedPagination, pageNumbers } from '../src/web/numbered-pagination.ts';

const eta = new Eta({ views: path.join(paths.root, 'views'), autoEscape: true, autoTrim: false });
const href = (p: number) => `/list?q=a%26b&page=${p}`;

describe('page numbers', () => {
  it('shows the first, the last, the current and its neighbours, with an ellipsis for a gap of two or more', () => {
    expect(pageNumbers(1, 1)).toEqual([1]);
    expect(pageNumbers(1, 4)).toEqual([1, 2, 3, 4]);
    expect(pageNumbers(1, 10)).toEqual([1, 2, null, 10]);
    expect(pageNumbers(5, 10)).toEqual([1, null, 4, 5, 6, null, 10]);
    expect(pageNumbers(4, 10)).toEqual([1, 2, 3, 4, 5, null, 10]);
    expect(pageNumbers(10, 10)).toEqual([1, null, 9, 10]);
  });

  it('is null when everything fits on one page; links previous and next only where they lead somewhere', () => {
    expect(numberedPagination(1, 1, href, 'Pages')).toBeNull();
    const first = numberedPagination(1, 3, href, 'Pages')!;
    expect(first.previous).toBeNull();
    expect(first.next).toEqual({ href: href(2) });
    expect(first.items[0]).toEqual({ number: '1', href: href(1), current: true, visuallyHiddenText: 'Page 1' });
    const last = numberedPagination(3, 3, href, 'Pages')!;
    expect(last.next).toBeNull();
    expect(last.previous).toEqual({ href: href(2) });
    // Beyond the last page: back to the last, and no page marked current.
    const beyond = numberedPagination(9, 3, href, 'Pages')!;
    expect(beyond.previous).toEqual({ href: href(3) });
    expect(beyond.next).toBeNull();
    expect(beyond.items.some((item) => 'current' in item && item.current)).toBe(false);
  });

  it('renders as GOV.UK pagination: numbered links, aria-current on this page, an ellipsis item', () => {
    const html = eta.render('/partials/govuk/pagination', { params: numberedPagination(5, 10, href, 'Pages of results') });
    expect(html).toContain('<nav class="govuk-pagination" aria-label="Pages of results">');
    expect(html).toContain('<li class="govuk-pagination__item govuk-pagination__item--current"><a class="govuk-link govuk-pagination__link" href="/list?q=a%26b&amp;page=5" aria-label="Page 5" aria-current="page">5</a></li>');
    expect(html.match(/govuk-pagination__item--ellipsis">&ctdot;</g)).toHaveLength(2);
    expect(html).toContain('rel="prev"');
    expect(html).toContain('rel="next"');
    expect(html).not.toMatch(/\d of \d/);
  });
});
