-- Identifier checks enforced by the database itself, so that no path into the case record
-- (the app, a bulk load, a hand-written fix) can store an NHS number or UPN that fails its
-- check character. The application validates the same way before it gets here
-- (src/identifiers/) so users see a friendly message rather than a constraint error.

-- NHS number: ten digits; digits 1..9 weighted 10..2, check digit = 11 - (sum mod 11),
-- where 11 means 0 and 10 means the number is invalid.
create function is_valid_nhs_number(n text) returns boolean
language sql immutable strict parallel safe as $$
  select case
    when n !~ '^[0-9]{10}$' then false
    else (
      select case 11 - (sum(substr(n, i, 1)::int * (11 - i)) % 11)
               when 11 then 0
               when 10 then -1
               else 11 - (sum(substr(n, i, 1)::int * (11 - i)) % 11)
             end = substr(n, 10, 1)::int
      from generate_series(1, 9) as i
    )
  end
$$;

-- UPN (DfE): check letter, then 12 characters (11 digits and a digit, or a letter for a
-- temporary UPN). Characters 2..13 are weighted by their position; the sum mod 23 indexes
-- the alphabet without I, O and S, which also gives a letter's value.
create function is_valid_upn(u text) returns boolean
language sql immutable strict parallel safe as $$
  select case
    when u !~ '^[A-HJ-NP-RT-Z][0-9]{11}[0-9A-HJ-NP-RT-Z]$' then false
    else (
      select substr('ABCDEFGHJKLMNPQRTUVWXYZ',
                    (sum(case when substr(u, p, 1) ~ '[0-9]' then substr(u, p, 1)::int
                              else strpos('ABCDEFGHJKLMNPQRTUVWXYZ', substr(u, p, 1)) - 1 end * p) % 23)::int + 1,
                    1) = substr(u, 1, 1)
      from generate_series(2, 13) as p
    )
  end
$$;
