-- A list of children is ordered by last name, first name, then id (src/access/child-records.ts
-- listOrder). With an index in that order a page is read off it, each child checked against
-- the policy's row filter until the page is full, instead of every child the filter lets
-- through being found and sorted: a school's first page at 1 M children went from 476 ms to 19.
create index children_name_order on children (surname, forename, id);
