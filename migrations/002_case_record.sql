-- The slice of the council's case record that the portal fronts (DESIGN.md §2-4).
-- History is kept, not overwritten: relationships, involvements and allocations carry
-- start and end dates, and "current" means end_date is null.

create table organisations (
  id                 uuid primary key default gen_random_uuid(),
  kind               text not null check (kind in (
                       'local_authority', 'school', 'gp_practice', 'health_visiting_team',
                       'school_nursing_team', 'emergency_department', 'police_force')),
  name               text not null,
  -- DfE local authority number (3 digits), for the council
  la_code            text unique check (la_code ~ '^[0-9]{3}$'),
  -- DfE unique reference number, for schools
  urn                text unique check (urn ~ '^[0-9]{6}$'),
  -- NHS Organisation Data Service code, for GP practices, health teams and hospitals
  ods_code           text unique check (ods_code ~ '^[A-Z0-9]{3,6}$'),
  -- Home Office force code, for police forces
  force_code         text unique check (force_code ~ '^[0-9]{2}$'),
  -- The council's front-door numbers that every partner summary shows
  duty_phone         text,
  out_of_hours_phone text,
  created_at         timestamptz not null default now(),
  check ((kind = 'local_authority') = (la_code is not null)),
  check ((kind = 'local_authority') = (duty_phone is not null and out_of_hours_phone is not null)),
  check ((kind = 'school') = (urn is not null)),
  check ((kind in ('gp_practice', 'health_visiting_team', 'school_nursing_team', 'emergency_department'))
         = (ods_code is not null)),
  check ((kind = 'police_force') = (force_code is not null))
);

create table teams (
  id                 uuid primary key default gen_random_uuid(),
  local_authority_id uuid not null references organisations (id),
  name               text not null,
  phone              text not null,
  unique (local_authority_id, name)
);

create table social_workers (
  id       uuid primary key default gen_random_uuid(),
  team_id  uuid not null references teams (id),
  name     text not null,
  email    text not null unique,
  phone    text not null,
  role     text not null check (role in ('social_worker', 'team_manager'))
);

create table children (
  id                 uuid primary key default gen_random_uuid(),
  local_authority_id uuid not null references organisations (id),
  forename           text not null,
  surname            text not null,
  date_of_birth      date not null,
  gender             text not null check (gender in ('male', 'female', 'other', 'not_known')),
  nhs_number         text unique check (is_valid_nhs_number(nhs_number)),
  upn                text unique check (is_valid_upn(upn)),
  address            text,
  postcode           text,
  address_withheld   boolean not null default false,
  sealed             boolean not null default false,
  created_at         timestamptz not null default now()
);
-- Exact-match lookups (DESIGN.md §2: name + date of birth + postcode)
create index children_surname_dob on children (lower(surname), date_of_birth);

create table involvements (
  id               uuid primary key default gen_random_uuid(),
  child_id         uuid not null references children (id) on delete cascade,
  kind             text not null check (kind in ('child_in_need', 'child_protection', 'looked_after')),
  -- DfE CIN census categories of abuse for a child protection plan
  cp_category      text check (cp_category in ('NEG', 'PHY', 'SAB', 'EMO', 'MUL')),
  start_date       date not null,
  end_date         date check (end_date is null or end_date >= start_date),
  -- the next review (CIN / looked after) or review child protection conference
  next_review_date date,
  check ((kind = 'child_protection') = (cp_category is not null))
);
create index involvements_child on involvements (child_id);
create index involvements_open on involvements (child_id) where end_date is null;

create table allocations (
  id               uuid primary key default gen_random_uuid(),
  child_id         uuid not null references children (id) on delete cascade,
  social_worker_id uuid not null references social_workers (id),
  start_date       date not null,
  end_date         date check (end_date is null or end_date >= start_date)
);
create unique index allocations_one_current on allocations (child_id) where end_date is null;
create index allocations_worker on allocations (social_worker_id) where end_date is null;

create table child_organisation_relationships (
  id              uuid primary key default gen_random_uuid(),
  child_id        uuid not null references children (id) on delete cascade,
  organisation_id uuid not null references organisations (id),
  kind            text not null check (kind in ('enrolled', 'registered', 'caseload')),
  start_date      date not null,
  end_date        date check (end_date is null or end_date >= start_date)
);
-- A school move ends one enrolment and starts another: one current enrolment at most,
-- and likewise one current GP registration.
create unique index relationships_one_current_enrolment
  on child_organisation_relationships (child_id) where kind = 'enrolled' and end_date is null;
create unique index relationships_one_current_registration
  on child_organisation_relationships (child_id) where kind = 'registered' and end_date is null;
create index relationships_organisation_current
  on child_organisation_relationships (organisation_id, child_id) where end_date is null;
create index relationships_child on child_organisation_relationships (child_id);

-- A relationship must fit its organisation: pupils enrol at schools, patients register with
-- GP practices, caseloads belong to health visiting and school nursing teams.
create function check_relationship_organisation() returns trigger
language plpgsql as $$
declare
  org_kind text;
begin
  select kind into org_kind from organisations where id = new.organisation_id;
  if not (   (new.kind = 'enrolled'   and org_kind = 'school')
          or (new.kind = 'registered' and org_kind = 'gp_practice')
          or (new.kind = 'caseload'   and org_kind in ('health_visiting_team', 'school_nursing_team'))) then
    raise exception 'a % relationship cannot be with a % organisation', new.kind, org_kind
      using errcode = 'check_violation';
  end if;
  return new;
end
$$;
create trigger relationships_fit_organisation
  before insert or update on child_organisation_relationships
  for each row execute function check_relationship_organisation();

create table chronology_events (
  id                     uuid primary key default gen_random_uuid(),
  child_id               uuid not null references children (id) on delete cascade,
  occurred_on            date not null,
  event_type             text not null,
  source_agency          text not null check (source_agency in ('council', 'education', 'health', 'police')),
  source_organisation_id uuid references organisations (id),
  summary                text not null,
  recorded_at            timestamptz not null default now()
);
create index chronology_child on chronology_events (child_id, occurred_on desc);
