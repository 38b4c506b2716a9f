-- Near matches for the front door (issue 11): a concern's child is found even when the partner
-- spelt the name differently (similarity and levenshtein/dmetaphone) or swapped day and month of
-- birth, and the front door can search for any child by hand. Both extensions are trusted, so the
-- database owner may create them without a superuser.
create extension if not exists pg_trgm;
create extension if not exists fuzzystrmatch;

-- Trigram indexes for the search by hand (word similarity over the whole name) and for a similar
-- last name; the postcode as it is compared (no spaces, upper case) for "same postcode".
create index children_name_trgm on children using gin ((lower(forename || ' ' || surname)) gin_trgm_ops);
create index children_surname_trgm on children using gin (lower(surname) gin_trgm_ops);
create index children_date_of_birth on children (date_of_birth);
create index children_postcode_compact on children (upper(replace(postcode, ' ', '')));
